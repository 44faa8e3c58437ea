/**
 * `node test/routing/support/fit-calibration.ts [--all]`: fits the fast stage's calibration on
 * the TUNE split only and prints the weights, the tune accuracy and the tune misses (`--all`:
 * every tune query). It never reads the holdout split: that split is only for the accuracy test
 * and the benchmark.
 */
import {
  type CalibrationSample,
  calibratedConfidence,
  fitCalibration,
} from "../../../src/routing/calibration.ts";
import { runFastStage } from "../../../src/routing/fast-stage.ts";
import { createRoutingIndexStore } from "../../../src/routing/routing-index.ts";
import { loadLabelledQueries } from "./routing-fixture.ts";
import { oneInstancePerType, templateRouterConfig } from "./template-instances.ts";

// A script, not a test: it reports on stdout directly.
const print = (line: string) => process.stdout.write(`${line}\n`);
const tune = loadLabelledQueries().filter((entry) => entry.split === "tune");
const index = createRoutingIndexStore().indexFor("tune", oneInstancePerType());
const router = templateRouterConfig();

const rows = tune.map((entry) => {
  const top = runFastStage(index, entry.query).candidates[0];
  if (top === undefined) throw new Error("the template account has no instances");
  // Nonsense and context-free fragments have no right specialist: whatever tops them does so by
  // chance, and the right outcome is a fallback, so they count as misses for the calibration.
  const correct = top.instance.type === entry.expected && entry.kind === undefined;
  return { entry, top, correct };
});

const samples: CalibrationSample[] = rows.map(({ top, correct }) => ({ ...top.features, correct }));
const calibration = fitCalibration(samples);
print(`calibration ${JSON.stringify(calibration)}`);

let decisionsCorrect = 0;
let fallbacks = 0;
for (const { entry, top, correct } of rows) {
  const confidence = calibratedConfidence(top.features, calibration);
  const fellBack = confidence < router.thresholds.fallback;
  if (fellBack) fallbacks += 1;
  const chosen = fellBack ? router.fallback_type : top.instance.type;
  const ok = chosen === entry.expected;
  if (ok) decisionsCorrect += 1;
  if (!ok || process.argv.includes("--all")) {
    const { score, margin, evidence } = top.features;
    print(
      `${ok ? "  " : "✗ "}${entry.expected.padEnd(16)} → ${chosen.padEnd(16)} conf ${confidence.toFixed(2)} ` +
        `score ${score.toFixed(3)} margin ${margin.toFixed(3)} evidence ${evidence.toFixed(2)} ` +
        `kw [${top.matchedKeywords.join(", ")}] ${correct ? "" : "(top wrong) "} ${entry.query}`,
    );
  }
}
const topCorrect = rows.filter((row) => row.correct).length;
print(
  `tune: ${tune.length} queries; top-type accuracy ${(topCorrect / tune.length).toFixed(3)}; ` +
    `decision accuracy ${(decisionsCorrect / tune.length).toFixed(3)}; fallbacks ${fallbacks}`,
);
