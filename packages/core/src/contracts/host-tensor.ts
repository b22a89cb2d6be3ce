/**
 * Tensor data in plain memory, engine-free: the shape and the row-major values. What checks of
 * input data, metrics and predictions read (the engines hand their outputs over in this form).
 */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}
