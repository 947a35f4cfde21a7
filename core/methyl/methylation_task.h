#pragma once

#include <string>

#include "core/engine/task.h"

namespace benchtop::methyl {

/// The methylation workload: recognises beta matrices (probe ids in the head, GEO series-matrix markers,
/// .csv/.tsv/.txt, optionally .gz) and creates a task that reads the matrix, runs the selected clocks on
/// the whole cohort in one batch and writes predictions.csv and predictions.json.
///
/// Options (JobSpec::options): clocks = all | comma list; sample-sheet = path; min-coverage = 0..1
/// (default 0.8); mvalues = false (reject) | true/auto (detect and convert) | always (declared);
/// imputation = auto | present_only | cohort_mean | reference | none; zhang-scaling = all_probes |
/// clock_probes; clocks-dir = folder with the coefficient tables; predictors = comma list of TorchScript
/// predictor bundles (folder, .zip or model-store id; docs/methylation-bundles.md); clocks = none runs no clock.
/// JobSpec::model may be a predictor bundle (then only the bundle runs unless clocks are given); otherwise the
/// clock tables folder is JobSpec::model when that is a folder, else the clocks-dir option, else the
/// BENCHTOP_CLOCKS_DIR environment variable. Without a folder each table comes from the catalog: the model
/// store, else the tables bundled with Benchtop, else a download. With the default selection a clock whose
/// table cannot be had is skipped and named in the notes and the summary; a clock named in `clocks` fails the job.
engine::TaskKind methylationTaskKind();

/// Recognition score of a file for the methylation task (0 = not a methylation matrix).
int recogniseMethylationFile(const engine::FileProbe& probe);

}  // namespace benchtop::methyl
