/**
 * Configuration of one K-Adapter knowledge adapter (kadapter-spec.md §1.1).
 *
 * An adapter is a stack of adapter layers; adapter layer i reads `hidden_states[taps[i]]` of the
 * backbone plus the previous adapter layer's output, projects it down to `adapterSize`, runs
 * `layers` post-LN BERT layers and projects it back up, with a residual around the whole layer.
 */
export interface AdapterConfig {
  /** indices into the backbone's hidden states (0 = embedding output); default 0,11,22 for 24 layers */
  taps: number[];
  /** width of the down-projection and of the inner transformer (768 in the original) */
  adapterSize: number;
  /** post-LN transformer layers inside each adapter layer (2 in the original) */
  layers: number;
  /** attention heads of the inner transformer (12 in the original) */
  heads: number;
  /** inner FFN width (3072 in the original) */
  intermediateSize: number;
  /** LayerNorm epsilon of the inner layers (1e-5) */
  layerNormEps: number;
  /** dropout of the inner layers while training (0.1) */
  dropout: number;
  /**
   * Skip connections between adapter layers. Only 0 (off, what every official script uses) is
   * implemented: the original formula is buggy (kadapter-spec.md §8.3).
   */
  skip: 0;
  /**
   * Mask padding inside the adapter attention. The original never masks (pads are attended to),
   * so `false` is the faithful default; `true` is the fix.
   */
  maskPadding: boolean;
  /** std of the normal init of down/up projection weights (0.0002) */
  initRange: number;
}

/** Defaults of the official code for a backbone with `numLayers` layers (24 → taps 0,11,22). */
export function defaultAdapterConfig(numLayers = 24): AdapterConfig {
  return {
    taps: numLayers === 24 ? [0, 11, 22] : [],
    adapterSize: 768,
    layers: 2,
    heads: 12,
    intermediateSize: 3072,
    layerNormEps: 1e-5,
    dropout: 0.1,
    skip: 0,
    maskPadding: false,
    initRange: 0.0002,
  };
}
