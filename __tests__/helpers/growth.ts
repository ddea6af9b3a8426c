/**
 * Growth ratios for tests that must not assert wall-clock times: how much longer the larger of
 * two inputs takes. Each measurement takes the fastest of several rounds, the two inputs taking
 * turns so a change in the load of a busy machine hits both alike; a ratio over `limit` is
 * measured again (up to `attempts` times), since a pause can land in one measurement while a
 * real super-linear cost shows in every one. Times under `floorMs` count as `floorMs`: below
 * it growth is no threat and the ratio would be timer noise.
 */
export async function growthRatio(
  small: () => unknown,
  large: () => unknown,
  { limit = 3, floorMs = 10, rounds = 5, attempts = 3 } = {}
): Promise<number> {
  const timeOf = async (run: () => unknown): Promise<number> => {
    const t0 = performance.now()
    await run()
    return performance.now() - t0
  }
  let ratio = Infinity
  for (let attempt = 0; attempt < attempts && ratio > limit; attempt++) {
    let s = Infinity
    let l = Infinity
    let total = 0
    for (let round = 0; round < rounds || (total < 400 && round < 4 * rounds); round++) {
      const ts = await timeOf(small)
      const tl = await timeOf(large)
      s = Math.min(s, ts)
      l = Math.min(l, tl)
      total += ts + tl
    }
    ratio = Math.min(ratio, l / Math.max(s, floorMs))
  }
  return ratio
}
