export * from './workflow';
export * from './slurm';
export * from './snakemake';
export * from './python-flows';
export * from './kubernetes';
export * from './task-recipe';
