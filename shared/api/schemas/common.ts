import { z } from 'zod';

/** An id handed out by the core (connection, job, run...). */
export const Id = z.string().min(1).max(200);

/** A method that takes no input still receives `{}` on every transport. */
export const NoInput = z.object({}).strict();

/** A method whose only result is that it succeeded. */
export const Done = z.object({ done: z.literal(true) });
