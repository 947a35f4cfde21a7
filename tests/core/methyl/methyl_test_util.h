#pragma once

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "tests/support/shared_paths.h"

namespace benchtop::test {

/// An expected-values CSV of the methylation fixtures: first column = key, other columns numbers (NA = NaN).
struct ExpectedTable {
    std::vector<std::string> columns;  ///< without the key column
    std::vector<std::string> keys;
    std::map<std::string, std::map<std::string, double>> values;
    double at(const std::string& key, const std::string& column) const {
        const auto r = values.find(key);
        REQUIRE(r != values.end());
        const auto c = r->second.find(column);
        REQUIRE(c != r->second.end());
        return c->second;
    }
};

inline std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool q = false;
    for (char c : line) {
        if (c == '"') {
            q = !q;
            continue;
        }
        if (c == ',' && !q) {
            out.push_back(cur);
            cur.clear();
        } else if (c != '\r') {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

inline ExpectedTable readExpected(const std::string& relative) {
    std::ifstream in(sharedPath(relative));
    REQUIRE(in.good());
    ExpectedTable t;
    std::string line;
    std::getline(in, line);
    auto header = splitCsvLine(line);
    t.columns.assign(header.begin() + 1, header.end());
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto f = splitCsvLine(line);
        t.keys.push_back(f[0]);
        auto& row = t.values[f[0]];
        for (std::size_t i = 1; i < f.size() && i < header.size(); ++i) {
            double v = std::nan("");
            if (!f[i].empty() && f[i] != "NA") {
                try {
                    v = std::stod(f[i]);
                } catch (...) {
                }
            }
            row[header[i]] = v;
        }
    }
    return t;
}

/// Rows of a CSV as strings (for text columns).
inline std::vector<std::vector<std::string>> readCsvRows(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) rows.push_back(splitCsvLine(line));
    return rows;
}

}  // namespace benchtop::test
