import type { Command } from 'commander';
import { registerBuildData } from './build-data.js';
import { registerDemo } from './demo.js';
import { registerDownload } from './download.js';
import { registerEncode } from './encode.js';
import { registerFeatures } from './features.js';
import { registerImportOfficial } from './import-official.js';
import { registerInfo } from './info.js';
import { registerPretrain } from './pretrain.js';
import { registerScore } from './score.js';

/** Every subcommand registers itself here (one file per command). */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerInfo,
  registerImportOfficial,
  registerEncode,
  registerFeatures,
  registerBuildData,
  registerPretrain,
  registerScore,
  registerDemo,
  registerDownload,
];
