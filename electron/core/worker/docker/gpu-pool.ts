/**
 * The GPUs a worker may give to containers, handed out whole: the claim gate has already checked
 * that enough are free, so `take` only picks which ones.
 */
export class GpuPool {
  private readonly free: number[];
  constructor(indexes: readonly number[]) {
    this.free = [...indexes];
  }

  get available(): number {
    return this.free.length;
  }

  take(n: number): number[] {
    if (n > this.free.length) throw new Error(`asked for ${n} GPUs, ${this.free.length} free`);
    return this.free.splice(0, n);
  }

  give(indexes: readonly number[]): void {
    this.free.push(...indexes);
    this.free.sort((a, b) => a - b);
  }
}
