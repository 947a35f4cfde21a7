#pragma once

#include <string>
#include <vector>

#include "core/methyl/clock_library.h"
#include "core/methyl/cpgpt/cpgpt_model.h"
#include "core/methyl/cpgpt/locus_embeddings.h"

/// CpGPT models as predictors of a methylation job (beside the clocks, like predictor bundles): the model folder
/// Benchtop runs, its declared outputs, and the import that makes such a folder from the files CpGPT's model zoo
/// and its dependencies ship.
namespace benchtop::methyl {

/// Whether `path` is a CpGPT model folder: config.yaml, vocab.json and model.ckpt or model.safetensors.
bool isCpgptFolder(const std::string& path);

/// The CpGPT model folder `ref` names: a folder, or a model-store id; "" when it names neither (another kind of
/// predictor).
std::string findCpgptFolder(const std::string& ref);

/// The output columns of a CpGPT folder: "<folder>/outputs.json" (written by the import from the catalog's
/// declaration: [{"name", "unit", "transform": identity|sigmoid|affine, "scale", "offset"}]), else every output of
/// vocab.json untransformed. Throws benchtop::Error naming the file when outputs.json is malformed or names an
/// output the vocab does not have.
std::vector<cpgpt::OutputSpec> readCpgptOutputs(const std::string& folder, const cpgpt::CpgptVocab& vocab);

/// Descriptions of the outputs for the writers (ClockKind::Cpgpt; unit "years" = an age, with age acceleration).
std::vector<Clock> cpgptOutputClocks(const std::string& folder, const std::vector<cpgpt::OutputSpec>& outputs);

/// How a model's outputs are reported, as the catalog declares it: `fallback` for every vocab output (its name
/// ignored), `named` for the outputs named (each must be in the vocab).
struct CpgptOutputDeclaration {
    bool given = false;
    cpgpt::OutputSpec fallback;
    std::vector<cpgpt::OutputSpec> named;
};

/// Parses a catalog entry's declaration: `details.outputs_default` (an object: unit, transform, scale, offset) and
/// `details.outputs` (a list of such objects with "name"), both JSON text; empty texts give an undeclared one.
/// Throws benchtop::Error naming `context` when malformed.
CpgptOutputDeclaration parseCpgptOutputDeclaration(const std::string& defaultJson, const std::string& namedJson,
                                                   const std::string& context);

/// What importCpgptModel() did.
struct CpgptImport {
    std::string folder;  ///< the model folder written
    cpgpt::LocusImportReport locus;
    std::vector<cpgpt::OutputSpec> outputs;
};

/// Makes a CpGPT model folder at `target` (new or empty) from `source`, either flat (config.yaml, model.ckpt or
/// model.safetensors, vocab.json) or as CpGPT's own download lays it out (config/<name>.yaml, weights/<name>.ckpt,
/// vocab/<name>.json): copies the model's files, extracts the DNA embeddings of its CpGs from the dependencies
/// folder `dependencies` into locus_embeddings.safetensors (so a run never reads the multi-gigabyte file), and
/// writes outputs.json from `outputs` when declared. The folder appears only when everything was written. Throws
/// benchtop::Error naming the file for anything missing or malformed.
CpgptImport importCpgptModel(const std::string& source, const std::string& name, const std::string& dependencies,
                             const std::string& target, const CpgptOutputDeclaration& outputs = {});

}  // namespace benchtop::methyl
