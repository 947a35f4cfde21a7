#include "core/methyl/predictions_parts.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/engine/input_plan.h"
#include "core/engine/output_publisher.h"
#include "core/engine/shard.h"
#include "core/methyl/clock_library.h"
#include "core/methyl/predictions_writer.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

namespace fs = std::filesystem;
using nlohmann::json;

namespace benchtop::methyl {
namespace {

json number(double v) {
    return std::isnan(v) ? json(nullptr) : json(v);
}

double numberOf(const json& v) {
    return v.is_null() ? kMissing : v.get<double>();
}

struct Part {
    std::string dir;
    json doc;
};

Part readPart(const std::string& dir) {
    const fs::path path = fs::u8path(dir) / kPredictionsPartFile;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(dir, std::string("is not the result folder of a part of a clock job (it has no ") +
                             kPredictionsPartFile + ").");
    Part part{dir, json::parse(in, nullptr, false)};
    if (!part.doc.is_object() || !part.doc.contains("shard") || !part.doc.contains("results"))
        throw Error(path.u8string(), "is damaged: not the JSON a part of a clock job writes.");
    return part;
}

}  // namespace

void writePredictionsPart(const std::string& path, const PredictionsPart& part) {
    json doc;
    doc["benchtop_version"] = BENCHTOP_VERSION;
    doc["task"] = "methylation";
    doc["inputs"] = part.inputs;
    doc["model"] = part.model;
    json options = json::object();
    for (const auto& [key, value] : part.options) options[key] = value;
    doc["options"] = options;
    doc["device"] = part.predictions.device;
    doc["precision"] = "float64";  // clocks are always computed in double
    doc["min_coverage"] = part.minCoverage;
    doc["shard"] = {
        {"index", part.index}, {"count", part.count}, {"first", part.first}, {"end", part.end}, {"total", part.total}};
    json clocks = json::array();
    for (const auto& c : part.predictions.clocks) clocks.push_back(c.clockId);
    doc["clocks"] = clocks;
    json samples = json::array();
    for (const auto& s : part.samples)
        samples.push_back({{"name", s.name},
                           {"title", s.title},
                           {"age", s.age ? json(*s.age) : json(nullptr)},
                           {"sex", toString(s.sex)}});
    doc["samples"] = samples;
    json results = json::array();
    for (const auto& c : part.predictions.clocks) {
        json values = json::array();
        for (double v : c.values) values.push_back(number(v));
        results.push_back({{"id", c.clockId},
                           {"required", c.required},
                           {"method", c.method},
                           {"values", values},
                           {"present", c.present},
                           {"imputed", c.imputed},
                           {"reasons", c.reasons}});
    }
    doc["results"] = results;
    doc["notes"] = part.notes;
    json definitions = json::array();
    for (const auto& d : part.definitions)
        definitions.push_back({{"id", d.id},
                               {"file", d.file},
                               {"kind", static_cast<int>(d.kind)},
                               {"intercept", d.intercept},
                               {"transform", static_cast<int>(d.transform)},
                               {"reference", static_cast<int>(d.reference)},
                               {"output", d.output},
                               {"tissue", d.tissue},
                               {"usage_flag", d.usageFlag},
                               {"citation", d.citation}});
    doc["definitions"] = definitions;
    std::ofstream out(path, std::ios::binary);
    out << doc.dump(1) << '\n';
    if (!out) throw Error(path, "could not be written (disk full?).");
}

bool isPredictionsPart(const std::string& dir) {
    std::error_code ec;
    return fs::is_regular_file(fs::u8path(dir) / kPredictionsPartFile, ec);
}

void requireSomeClockValue(const Predictions& predictions, const std::string& file, double minCoverage) {
    std::size_t values = 0, empty = 0;
    int bestPresent = 0, bestRequired = 0;
    for (const auto& c : predictions.clocks) {
        values += c.values.size();
        for (double v : c.values)
            if (std::isnan(v)) ++empty;
        for (const int present : c.present)
            if (c.required > 0 &&
                (bestRequired == 0 || double(present) / c.required > double(bestPresent) / bestRequired)) {
                bestPresent = present;
                bestRequired = c.required;
            }
    }
    if (values == 0 || empty < values) return;
    throw Error(file, "no clock value could be computed for any sample: at best " + std::to_string(bestPresent) +
                          " of a clock's " + std::to_string(bestRequired) + " CpGs are measured (a clock needs " +
                          std::to_string(static_cast<int>(std::lround(minCoverage * 100))) +
                          " %); is this a DNA methylation beta matrix with probe ids (cg...) and numeric values?");
}

std::vector<std::string> mergePredictionParts(const std::vector<std::string>& partDirs, const std::string& outDir) {
    if (partDirs.empty()) throw Error("merge", "no part folders given.");
    std::vector<Part> parts;
    std::vector<engine::PartHeader> headers;
    for (const auto& dir : partDirs) {
        parts.push_back(readPart(dir));
        const json& doc = parts.back().doc;
        engine::PartHeader h;
        h.dir = dir;
        try {
            const json& shard = doc.at("shard");
            h.index = shard.at("index").get<int>();
            h.count = shard.at("count").get<int>();
            h.first = shard.at("first").get<std::size_t>();
            h.end = shard.at("end").get<std::size_t>();
            h.total = shard.at("total").get<std::size_t>();
        } catch (const json::exception& e) {
            throw Error((fs::u8path(dir) / kPredictionsPartFile).u8string(),
                        std::string("has a damaged \"shard\" entry: ") + e.what());
        }
        for (const char* key : {"inputs", "model", "options", "clocks", "min_coverage"})
            h.job[key] = doc.value(key, json()).dump();
        headers.push_back(std::move(h));
    }
    std::vector<const Part*> ordered;
    for (const engine::PartHeader* h : engine::checkParts(headers, "samples"))
        ordered.push_back(&parts[static_cast<std::size_t>(h - headers.data())]);
    const json& reference = ordered.front()->doc;

    // The cohort, as one run holds it.
    std::vector<SampleInfo> samples;
    Predictions predictions;
    predictions.device = reference.value("device", std::string());
    try {
        for (const json& id : reference.at("clocks")) {
            ClockResult c;
            c.clockId = id.get<std::string>();
            predictions.clocks.push_back(std::move(c));
        }
        for (const Part* p : ordered) {
            const std::size_t n =
                p->doc.at("shard").at("end").get<std::size_t>() - p->doc.at("shard").at("first").get<std::size_t>();
            const json& ss = p->doc.at("samples");
            if (ss.size() != n)
                throw Error(p->dir, "holds " + std::to_string(ss.size()) + " samples for a range of " +
                                        std::to_string(n) + ".");
            for (const json& s : ss) {
                SampleInfo info;
                info.name = s.at("name").get<std::string>();
                info.title = s.value("title", std::string());
                if (!s.at("age").is_null()) info.age = s.at("age").get<double>();
                info.sex = parseSex(s.value("sex", std::string()));
                samples.push_back(std::move(info));
                predictions.samples.push_back(samples.back().name);
            }
            const json& results = p->doc.at("results");
            if (results.size() != predictions.clocks.size())
                throw Error(p->dir, "holds " + std::to_string(results.size()) + " clocks, not " +
                                        std::to_string(predictions.clocks.size()) + ".");
            for (std::size_t k = 0; k < results.size(); ++k) {
                const json& r = results[k];
                ClockResult& c = predictions.clocks[k];
                if (r.at("id").get<std::string>() != c.clockId || r.at("values").size() != n ||
                    r.at("present").size() != n || r.at("imputed").size() != n || r.at("reasons").size() != n)
                    throw Error(p->dir, "has damaged values for clock " + c.clockId + ".");
                c.required = r.at("required").get<int>();
                c.method = r.at("method").get<std::string>();
                for (const json& v : r.at("values")) c.values.push_back(numberOf(v));
                for (const json& v : r.at("present")) c.present.push_back(v.get<int>());
                for (const json& v : r.at("imputed")) c.imputed.push_back(v.get<int>());
                for (const json& v : r.at("reasons")) c.reasons.push_back(v.get<std::string>());
            }
        }
    } catch (const json::exception& e) {
        throw Error("merge", std::string("a part's ") + kPredictionsPartFile + " is damaged: " + e.what());
    }
    const auto inputs = reference.value("inputs", std::vector<std::string>());
    const double minCoverage = reference.value("min_coverage", 0.8);
    requireSomeClockValue(predictions, inputs.empty() ? ordered.front()->dir : inputs.front(), minCoverage);

    engine::createMergeFolder(outDir);
    // The clocks' descriptions come from Benchtop's own definitions; predictors' outputs from the parts.
    ClockLibrary library;
    try {
        for (const json& d : reference.value("definitions", json::array())) {
            Clock c;
            c.def.id = d.at("id").get<std::string>();
            c.def.file = d.value("file", std::string());
            c.def.kind = static_cast<ClockKind>(d.at("kind").get<int>());
            c.def.intercept = d.value("intercept", 0.0);
            c.def.transform = static_cast<Transform>(d.at("transform").get<int>());
            c.def.reference = static_cast<Reference>(d.at("reference").get<int>());
            c.def.output = d.value("output", std::string());
            c.def.tissue = d.value("tissue", std::string());
            c.def.usageFlag = d.value("usage_flag", std::string());
            c.def.citation = d.value("citation", std::string());
            library.add(std::move(c));
        }
    } catch (const json::exception& e) {
        throw Error(ordered.front()->dir, std::string("has damaged output descriptions: ") + e.what());
    }
    PredictionOutput out = makePredictionOutput(samples, std::move(predictions), library);
    out.notes = reference.value("notes", std::vector<std::string>());
    engine::OutputPublisher publisher(outDir);
    std::vector<std::string> files;
    try {
        // The job's "csv-bom" option, as the whole run writes it.
        const json options = reference.value("options", json::object());
        const std::string bom = options.value("csv-bom", std::string());
        writePredictionsCsv(publisher.partPath("predictions.csv"), out, library,
                            bom == "true" || bom == "1" || bom == "yes" || bom == "on");
        writePredictionsJson(publisher.partPath("predictions.json"), out, library);
        files = publisher.publish();
    } catch (...) {
        publisher.discard();
        throw;
    }
    engine::writeJobMarker(outDir, reference.value("task", std::string("methylation")), inputs);
    return files;
}

}  // namespace benchtop::methyl
