/**
 * Keeping Node's event loop busy while work waits only on promises.
 *
 * When the loop runs out of handles and requests, Node waits for every task V8 has running on
 * its background threads before it looks again (its platform "drains" them). Early in an
 * analysis those tasks include optimising compiles of the tree-sitter grammar's WebAssembly: a
 * wait on a promise that only V8 settles (compiling that module, say) then also waited for all of
 * them, 50–100 ms of a small scan. A referenced timer keeps the loop polling instead.
 */

/** How long the loop is held at most: past this, a promise that never settles ends the process as it would without the hold. */
const MAX_HOLD_MS = 60_000

/** Runs `work` with the event loop held open (for at most `maxMs`), so settling a promise does not wait for V8's background compiles. */
export async function withLoopHeld<T>(work: () => Promise<T>, maxMs = MAX_HOLD_MS): Promise<T> {
  const hold = setTimeout(() => undefined, maxMs)
  try {
    return await work()
  } finally {
    clearTimeout(hold)
  }
}
