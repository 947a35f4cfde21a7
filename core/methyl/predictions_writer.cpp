#include "core/methyl/predictions_writer.h"

#include "core/common/strings.h"

#include <cmath>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace benchtop::methyl {
namespace {

std::string num(double v) {
    if (std::isnan(v)) return "";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

nlohmann::json jnum(double v) {
    return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

const ClockDefinition* defOf(const ClockLibrary& lib, const std::string& id) {
    if (const Clock* c = lib.find(id)) return &c->def;
    return findClockDefinition(id);
}

}  // namespace

AgeAcceleration computeAgeAcceleration(const std::vector<double>& pred, const std::vector<double>& ages) {
    AgeAcceleration acc;
    const std::size_t n = pred.size();
    acc.diff.assign(n, kMissing);
    acc.resid.assign(n, kMissing);
    std::vector<std::size_t> use;
    for (std::size_t i = 0; i < n && i < ages.size(); ++i) {
        if (!std::isnan(ages[i]) && !std::isnan(pred[i])) {
            use.push_back(i);
            acc.diff[i] = pred[i] - ages[i];
        }
    }
    if (use.size() < 3) {
        acc.reason = "age acceleration needs at least 3 samples with a known age and a prediction";
        return acc;
    }
    double mx = 0, my = 0;
    for (std::size_t i : use) {
        mx += ages[i];
        my += pred[i];
    }
    mx /= use.size();
    my /= use.size();
    double sxx = 0, sxy = 0;
    for (std::size_t i : use) {
        sxx += (ages[i] - mx) * (ages[i] - mx);
        sxy += (ages[i] - mx) * (pred[i] - my);
    }
    if (!(sxx > 0)) {
        acc.reason = "all samples have the same age; the regression on age is undefined";
        return acc;
    }
    acc.slope = sxy / sxx;
    acc.intercept = my - acc.slope * mx;
    for (std::size_t i : use) acc.resid[i] = pred[i] - acc.intercept - acc.slope * ages[i];
    acc.valid = true;
    return acc;
}

bool isAgeClock(const ClockDefinition& def) {
    const std::string& o = def.output;
    return o.find("age, years") != std::string::npos;
}

PredictionOutput makePredictionOutput(const std::vector<SampleInfo>& samples, Predictions predictions,
                                      const ClockLibrary& library) {
    PredictionOutput out;
    out.samples = samples;
    out.predictions = std::move(predictions);
    std::vector<double> ages(samples.size(), kMissing);
    bool anyAge = false;
    for (std::size_t s = 0; s < samples.size(); ++s)
        if (samples[s].age) {
            ages[s] = *samples[s].age;
            anyAge = true;
        }
    for (const auto& c : out.predictions.clocks) {
        const ClockDefinition* d = defOf(library, c.clockId);
        if (anyAge && d && isAgeClock(*d))
            out.acceleration.push_back(computeAgeAcceleration(c.values, ages));
        else
            out.acceleration.emplace_back();
    }
    return out;
}

void writePredictionsCsv(const std::string& path, const PredictionOutput& out, const ClockLibrary& library,
                         bool byteOrderMark) {
    std::ofstream f(path, std::ios::binary);
    if (!f) throw Error(path, "cannot write the predictions file");
    if (byteOrderMark) f << "\xEF\xBB\xBF";
    const auto& clocks = out.predictions.clocks;
    bool anyAge = false;
    for (const auto& s : out.samples) anyAge |= s.age.has_value();
    f << "sample";
    if (anyAge) f << ",age";
    f << ",sex";
    for (std::size_t k = 0; k < clocks.size(); ++k) {
        const std::string& id = clocks[k].clockId;
        f << ',' << id << ',' << id << "_coverage," << id << "_imputed";
        if (out.acceleration[k].valid || (anyAge && defOf(library, id) && isAgeClock(*defOf(library, id))))
            f << ',' << id << "_acc_diff," << id << "_acc_resid";
    }
    f << '\n';
    for (std::size_t s = 0; s < out.samples.size(); ++s) {
        f << csvField(out.samples[s].name);
        if (anyAge) f << ',' << (out.samples[s].age ? num(*out.samples[s].age) : std::string());
        f << ',' << toString(out.samples[s].sex);
        for (std::size_t k = 0; k < clocks.size(); ++k) {
            const auto& c = clocks[k];
            const double cov = c.required ? static_cast<double>(c.present[s]) / c.required : kMissing;
            f << ',' << num(c.values[s]) << ',' << num(cov) << ',' << c.imputed[s];
            const std::string& id = c.clockId;
            if (out.acceleration[k].valid || (anyAge && defOf(library, id) && isAgeClock(*defOf(library, id)))) {
                const auto& a = out.acceleration[k];
                f << ',' << (a.diff.empty() ? "" : num(a.diff[s])) << ',' << (a.resid.empty() ? "" : num(a.resid[s]));
            }
        }
        f << '\n';
    }
    if (!f) throw Error(path, "writing the predictions file failed (disk full?)");
}

void writePredictionsJson(const std::string& path, const PredictionOutput& out, const ClockLibrary& library) {
    using nlohmann::json;
    json root;
    json clocksMeta = json::array();
    const auto& clocks = out.predictions.clocks;
    for (std::size_t k = 0; k < clocks.size(); ++k) {
        const auto& c = clocks[k];
        json m;
        m["id"] = c.clockId;
        m["cpgs"] = c.required;
        m["missing_values"] = c.method;
        if (const ClockDefinition* d = defOf(library, c.clockId)) {
            m["output"] = d->output;
            m["tissue"] = d->tissue;
            m["intercept"] = d->intercept;
            m["transform"] = toString(d->transform);
            m["kind"] = toString(d->kind);
            m["reference"] = toString(d->reference);
            m["usage_flag"] = d->usageFlag;
            m["citation"] = d->citation;
        }
        const auto& a = out.acceleration[k];
        if (a.valid)
            m["age_regression"] = {{"intercept", a.intercept}, {"slope", a.slope}};
        else if (!a.reason.empty())
            m["age_regression_note"] = a.reason;
        clocksMeta.push_back(std::move(m));
    }
    json samples = json::array();
    for (std::size_t s = 0; s < out.samples.size(); ++s) {
        json js;
        js["sample"] = out.samples[s].name;
        if (!out.samples[s].title.empty()) js["title"] = out.samples[s].title;
        js["age"] = out.samples[s].age ? json(*out.samples[s].age) : json(nullptr);
        js["sex"] = toString(out.samples[s].sex);
        json per = json::object();
        for (std::size_t k = 0; k < clocks.size(); ++k) {
            const auto& c = clocks[k];
            json v;
            v["value"] = jnum(c.values[s]);
            v["present"] = c.present[s];
            v["required"] = c.required;
            v["coverage"] = c.required ? static_cast<double>(c.present[s]) / c.required : 0.0;
            v["imputed"] = c.imputed[s];
            if (!c.reasons[s].empty()) v["reason"] = c.reasons[s];
            const auto& a = out.acceleration[k];
            if (!a.diff.empty() && !std::isnan(a.diff[s])) v["age_acceleration_diff"] = a.diff[s];
            if (a.valid && !std::isnan(a.resid[s])) v["age_acceleration_resid"] = a.resid[s];
            per[c.clockId] = std::move(v);
        }
        js["clocks"] = std::move(per);
        samples.push_back(std::move(js));
    }
    root["samples"] = std::move(samples);
    root["clocks"] = std::move(clocksMeta);
    root["device"] = out.predictions.device;
    root["notes"] = out.notes;
    std::ofstream f(path, std::ios::binary);
    if (!f) throw Error(path, "cannot write the predictions file");
    f << root.dump(1) << '\n';
    if (!f) throw Error(path, "writing the predictions file failed (disk full?)");
}

}  // namespace benchtop::methyl
