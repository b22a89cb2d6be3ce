export type { SafetensorsDType } from './dtypes.js';
export { bf16ToFloat, DTYPE_BYTES, floatToBf16, floatToHalf, halfToFloat, SAFETENSORS_DTYPES } from './dtypes.js';
export type { RawData, RawTensor } from './raw-tensor.js';
export { elementCount, rawToTensor, tensorToRaw } from './raw-tensor.js';
export type { SafetensorsEntry } from './safetensors-read.js';
export { loadSafetensors, SafetensorsFile } from './safetensors-read.js';
