import { RunStore } from './lines.js';
import { TouchStore, ZTouchStore } from './touch.js';
import { AddTouchStore } from './touch-add.js';
import { ZRunStore } from './zlines.js';

/*
 * The host records one exact burn packs its line and all-touched walks into (plan.ts), kept for the
 * next burn once they are uploaded: each store doubles from 64 records to its burn's size, and a
 * burn made fresh ones every time, whose arrays the collector then freed. Plain module state, as the
 * stores hold only host memory: a burn takes the spare set or makes one, and gives it back after
 * its upload; two burns in flight at once simply make two sets.
 */

/** One burn's walk stores. */
export class WalkStores {
  readonly runs = new RunStore();
  readonly touch = new TouchStore();
  readonly zRuns = new ZRunStore();
  readonly zTouch = new ZTouchStore();
  readonly addTouch = new AddTouchStore(0);
}

let spare: WalkStores | null = null;

/** Empty stores for a burn whose merge-'add' walks may reserve up to `maxAddSlots` visit slots. */
export function takeWalkStores(maxAddSlots: number): WalkStores {
  const s = spare ?? new WalkStores();
  spare = null;
  s.runs.reset();
  s.touch.reset();
  s.zRuns.reset();
  s.zTouch.reset();
  s.addTouch.resetFor(maxAddSlots);
  return s;
}

/** Gives a burn's stores to the next burn: the plan's runs, touch, zRuns, zTouch and addTouch must not be read after this. */
export function recycleWalkStores(s: WalkStores): void {
  spare = s;
}
