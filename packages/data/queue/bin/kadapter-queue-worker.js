#!/usr/bin/env node
// The worker entry point, kept as a committed file so the bin link exists before the package is built.
import '../dist/worker-main.js';
