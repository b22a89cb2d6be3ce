/** Settings of the resume tests: shuffled batches of 2 of the 5 fixture examples, dropout on, 12 updates, a checkpoint every 2. */
export const RESUME_SETTINGS = { batchSize: 2, epochs: 4, seed: 7, checkpointEvery: 2, lr: 1e-3, warmupSteps: 2 };
