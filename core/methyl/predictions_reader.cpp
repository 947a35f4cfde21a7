// Reads back what predictions_writer.cpp writes, for the window and for scripts: typed, with errors that name
// the file and the place.
#include "core/methyl/predictions_reader.h"

#include <charconv>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/methyl/clock_library.h"
#include "core/methyl/text_fields.h"

namespace benchtop::methyl {
namespace {

using nlohmann::json;

std::string ordinal(std::size_t i) {
    return std::to_string(i + 1);
}

/// Reads typed fields of one JSON object; a field of the wrong type is an error naming `where`.
struct Fields {
    const json& object;
    const std::string& name;
    std::string where;

    [[noreturn]] void fail(const char* key, const char* expected) const {
        throw Error(name, where + ": \"" + key + "\" is not " + expected);
    }
    const json* find(const char* key) const {
        const auto it = object.find(key);
        return it == object.end() || it->is_null() ? nullptr : &*it;
    }
    std::string text(const char* key) const {
        const json* v = find(key);
        if (!v) return {};
        if (!v->is_string()) fail(key, "text");
        return v->get<std::string>();
    }
    double number(const char* key) const {
        const json* v = find(key);
        if (!v) return kMissing;
        if (!v->is_number()) fail(key, "a number");
        return v->get<double>();
    }
    int count(const char* key, int fallback = 0) const {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_number_integer() || v->get<long long>() < 0) fail(key, "a count");
        return v->get<int>();
    }
};

}  // namespace

PredictionsTable parsePredictionsJson(std::string_view text, const std::string& name) {
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (const auto at = what.find("] "); at != std::string::npos) what.erase(0, at + 2);
        throw Error(name, "is not valid JSON (" + what + " at byte " + std::to_string(e.byte) + ")");
    }
    if (!root.is_object() || !root.contains("samples") || !root["samples"].is_array() || !root.contains("clocks") ||
        !root["clocks"].is_array())
        throw Error(name, "is not a methylation predictions file (it needs \"samples\" and \"clocks\" arrays)");

    PredictionsTable table;
    table.format = "json";
    const json& clocks = root["clocks"];
    for (std::size_t k = 0; k < clocks.size(); ++k) {
        if (!clocks[k].is_object()) throw Error(name, "clock " + ordinal(k) + " is not an object");
        Fields f{clocks[k], name, "clock " + ordinal(k)};
        PredictionsClock c;
        c.id = f.text("id");
        if (c.id.empty()) throw Error(name, "clock " + ordinal(k) + " has no id");
        f.where = "clock " + c.id;
        c.cpgs = f.count("cpgs");
        c.output = f.text("output");
        c.tissue = f.text("tissue");
        c.missingValues = f.text("missing_values");
        c.citation = f.text("citation");
        c.usageFlag = f.text("usage_flag");
        if (const json* r = f.find("age_regression")) {
            if (!r->is_object()) f.fail("age_regression", "an object");
            Fields rf{*r, name, f.where + ", age_regression"};
            c.regressionIntercept = rf.number("intercept");
            c.regressionSlope = rf.number("slope");
            c.hasRegression = rf.find("slope") != nullptr;
        }
        c.regressionNote = f.text("age_regression_note");
        table.clocks.push_back(std::move(c));
    }

    const json& samples = root["samples"];
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (!samples[i].is_object()) throw Error(name, "sample " + ordinal(i) + " is not an object");
        Fields f{samples[i], name, "sample " + ordinal(i)};
        PredictionsSample s;
        s.name = f.text("sample");
        if (s.name.empty()) throw Error(name, "sample " + ordinal(i) + " has no name");
        f.where = "sample " + s.name;
        s.title = f.text("title");
        if (const double age = f.number("age"); !std::isnan(age)) s.age = age;
        s.sex = parseSex(f.text("sex"));
        const json* per = f.find("clocks");
        if (per && !per->is_object()) f.fail("clocks", "an object");
        for (const PredictionsClock& clock : table.clocks) {
            PredictionsCell cell;
            cell.required = clock.cpgs;
            const auto it = per ? per->find(clock.id) : json::const_iterator();
            if (!per || it == per->end() || !it->is_object()) {
                cell.reason = "no value for this sample in the file";
            } else {
                Fields cf{*it, name, "sample " + s.name + ", clock " + clock.id};
                cell.value = cf.number("value");
                cell.present = cf.count("present");
                cell.required = cf.count("required", clock.cpgs);
                cell.coverage = cf.number("coverage");
                cell.imputed = cf.count("imputed");
                cell.reason = cf.text("reason");
                cell.accelerationDiff = cf.number("age_acceleration_diff");
                cell.accelerationResid = cf.number("age_acceleration_resid");
            }
            s.cells.push_back(std::move(cell));
        }
        table.samples.push_back(std::move(s));
    }
    if (const auto it = root.find("notes"); it != root.end() && !it->is_null()) {
        if (!it->is_array()) throw Error(name, "\"notes\" is not a list");
        for (const json& note : *it) {
            if (!note.is_string()) throw Error(name, "\"notes\" holds an entry that is not text");
            table.notes.push_back(note.get<std::string>());
        }
    }
    if (const auto it = root.find("device"); it != root.end() && it->is_string()) table.device = it->get<std::string>();
    return table;
}

PredictionsTable parsePredictionsCsv(std::string_view text, const std::string& name) {
    using namespace text;
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    LineCursor cur{text};
    std::string_view line;
    std::vector<std::string_view> fields;
    while (cur.next(line) && trim(line).empty()) {
    }
    if (trim(line).empty()) throw Error(name, "is empty: expected a predictions table (sample, sex, clock columns)");
    splitLine(line, ',', fields);
    std::vector<std::string> header;
    for (const auto f : fields) header.emplace_back(unquote(f));
    const std::size_t headerNo = cur.lineNo;
    const std::string headerAt = name + ":" + std::to_string(headerNo);
    if (header.empty() || header[0] != "sample")
        throw Error(headerAt, "is not a methylation predictions table (the first column must be 'sample')");

    // Column roles: age, sex, then per clock its value followed by its _coverage, _imputed, _acc_* columns.
    enum class Role { Sample, Age, Sex, Value, Coverage, Imputed, AccDiff, AccResid };
    struct Column {
        Role role;
        int clock = -1;
    };
    std::vector<Column> columns{{Role::Sample}};
    PredictionsTable table;
    table.format = "csv";
    auto endsWith = [](const std::string& s, std::string_view suffix) {
        return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const std::pair<std::string_view, Role> suffixes[] = {{"_coverage", Role::Coverage},
                                                          {"_imputed", Role::Imputed},
                                                          {"_acc_diff", Role::AccDiff},
                                                          {"_acc_resid", Role::AccResid}};
    for (std::size_t c = 1; c < header.size(); ++c) {
        const std::string& h = header[c];
        if (h == "age" && table.clocks.empty()) {
            columns.push_back({Role::Age});
            continue;
        }
        if (h == "sex" && table.clocks.empty()) {
            columns.push_back({Role::Sex});
            continue;
        }
        if (h.empty()) throw Error(headerAt, "column " + ordinal(c) + " has no name");
        bool attached = false;
        for (const auto& [suffix, role] : suffixes) {
            if (!table.clocks.empty() && endsWith(h, suffix) &&
                h.size() - suffix.size() == table.clocks.back().id.size() &&
                h.compare(0, table.clocks.back().id.size(), table.clocks.back().id) == 0) {
                columns.push_back({role, static_cast<int>(table.clocks.size()) - 1});
                attached = true;
                break;
            }
        }
        if (attached) continue;
        for (const auto& [suffix, role] : suffixes)
            if (endsWith(h, suffix))
                throw Error(headerAt, "column " + ordinal(c) + " ('" + h +
                                          "') does not follow the value column of its "
                                          "clock");
        PredictionsClock clock;
        clock.id = h;
        if (const ClockDefinition* d = findClockDefinition(h)) {
            clock.output = d->output;
            clock.tissue = d->tissue;
            clock.citation = d->citation;
            clock.usageFlag = d->usageFlag;
        }
        for (const auto& existing : table.clocks)
            if (existing.id == h) throw Error(headerAt, "clock '" + h + "' appears twice");
        table.clocks.push_back(std::move(clock));
        columns.push_back({Role::Value, static_cast<int>(table.clocks.size()) - 1});
    }

    while (cur.next(line)) {
        if (trim(line).empty()) continue;
        const std::size_t lineNo = cur.lineNo;
        const std::string at = name + ":" + std::to_string(lineNo);
        splitLine(line, ',', fields);
        if (fields.size() != columns.size())
            throw Error(at, "line " + std::to_string(lineNo) + " has " + std::to_string(fields.size()) +
                                " fields, expected " + std::to_string(columns.size()) + " (as in the header)");
        PredictionsSample s;
        s.cells.resize(table.clocks.size());
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::string_view cell = unquote(fields[c]);
            double v = kMissing;
            const Role role = columns[c].role;
            if (role != Role::Sample && role != Role::Sex && !cell.empty()) {
                const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), v);
                if (r.ec != std::errc() || r.ptr != cell.data() + cell.size())
                    throw Error(at, "'" + std::string(cell) + "' in column " + ordinal(c) + " ('" + header[c] +
                                        "') is not a number");
            }
            PredictionsCell* pc =
                columns[c].clock >= 0 ? &s.cells[static_cast<std::size_t>(columns[c].clock)] : nullptr;
            switch (role) {
                case Role::Sample:
                    s.name = std::string(cell);
                    if (s.name.empty()) throw Error(at, "the sample name is empty");
                    break;
                case Role::Age:
                    if (!std::isnan(v)) s.age = v;
                    break;
                case Role::Sex:
                    s.sex = parseSex(cell);
                    break;
                case Role::Value:
                    pc->value = v;
                    break;
                case Role::Coverage:
                    pc->coverage = v;
                    break;
                case Role::Imputed:
                    if (!std::isnan(v) && (v < 0 || v != static_cast<int>(v)))
                        throw Error(at, "'" + std::string(cell) + "' in column " + ordinal(c) + " ('" + header[c] +
                                            "') is not a count");
                    pc->imputed = std::isnan(v) ? 0 : static_cast<int>(v);
                    break;
                case Role::AccDiff:
                    pc->accelerationDiff = v;
                    break;
                case Role::AccResid:
                    pc->accelerationResid = v;
                    break;
            }
        }
        table.samples.push_back(std::move(s));
    }
    return table;
}

PredictionsTable readPredictions(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open the predictions file (missing or not readable)");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) throw Error(path, "is empty: expected predictions.json or predictions.csv");
    if (text[first] == '{' || text[first] == '[') return parsePredictionsJson(text, path);
    return parsePredictionsCsv(text, path);
}

}  // namespace benchtop::methyl
