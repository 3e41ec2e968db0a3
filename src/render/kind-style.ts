/*! How each region kind looks in pictures: its fill and text color in SVG/HTML and its
 * letter in the plain-text map bar. One table, so the report, the --svg picture and the
 * terminal bar agree. No behaviour beyond lookups. */
import { KINDS, type Kind } from '../model/vma.js';

export type StyleKind = Kind | 'free';

export interface KindStyle {
  /** Fill color (CSS hex). */
  fill: string;
  /** Text color that reads on the fill. */
  text: string;
  /** One character for the plain-text bar. */
  letter: string;
  /** Words for the legend. */
  label: string;
}

export const KIND_STYLE: Record<StyleKind, KindStyle> = {
  code: { fill: '#4e79a7', text: '#fff', letter: 'C', label: 'code (r-x)' },
  rodata: { fill: '#76b7b2', text: '#000', letter: 'r', label: 'rodata / relro' },
  data: { fill: '#59a14f', text: '#fff', letter: 'd', label: 'data' },
  bss: { fill: '#a0d68f', text: '#000', letter: 'b', label: 'bss' },
  heap: { fill: '#e15759', text: '#fff', letter: 'H', label: 'heap (brk)' },
  stack: { fill: '#9d4f96', text: '#fff', letter: 'S', label: 'main stack' },
  'thread-stack': { fill: '#d7a5d0', text: '#000', letter: 't', label: 'thread stack' },
  arena: { fill: '#f28e2b', text: '#000', letter: 'A', label: 'malloc arena' },
  guard: { fill: '#c9c2bd', text: '#000', letter: 'g', label: 'guard / reserved' },
  anon: { fill: '#edc948', text: '#000', letter: 'm', label: 'anon mmap' },
  shared: { fill: '#9c755f', text: '#fff', letter: 's', label: 'shared' },
  kernel: { fill: '#4a4a4a', text: '#fff', letter: 'k', label: 'kernel page' },
  free: { fill: '#ffffff', text: '#666', letter: '.', label: 'free (not mapped)' },
};

/** Kinds in legend order, free last. */
export const STYLE_KINDS: readonly StyleKind[] = [...KINDS, 'free'];
