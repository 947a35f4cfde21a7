// importLocusEmbeddings: the vocab's rows of CpGPT's dependency files (sqlitedict indexes + the float32 mmap).
#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "core/common/error.h"
#include "core/methyl/cpgpt/locus_embeddings.h"
#include "core/methyl/cpgpt/safe_pickle.h"
#include "core/tensor/mapped_file.h"

namespace benchtop::methyl::cpgpt {

namespace fs = std::filesystem;

namespace {

using Kind = PickleValue::Kind;

/// The value stored under `key` in a sqlitedict file (table "unnamed": key TEXT, value BLOB = a pickle),
/// parsed with `keep` filtering its big lookup tables.
PickleRef sqliteDictValue(const std::string& path, const std::string& key, const KeyFilter& keep) {
    if (!fs::exists(path)) throw Error(path, "is missing from the CpGPT dependencies folder (see docs/cpgpt.md).");
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw Error(path, "cannot be opened as an SQLite database: " + why + ".");
    }
    sqlite3_stmt* stmt = nullptr;
    std::string problem;
    PickleRef value;
    if (sqlite3_prepare_v2(db, "SELECT value FROM \"unnamed\" WHERE key = ?", -1, &stmt, nullptr) != SQLITE_OK) {
        problem = std::string("is not a sqlitedict file (") + sqlite3_errmsg(db) + ")";
    } else {
        sqlite3_bind_text(stmt, 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, 0));
            const int size = sqlite3_column_bytes(stmt, 0);
            try {
                value = readPickle(blob, static_cast<std::size_t>(size), path + " [" + key + "]", &keep);
            } catch (...) {
                sqlite3_finalize(stmt);
                sqlite3_close(db);
                throw;
            }
        } else if (rc == SQLITE_DONE) {
            problem = "has no entry for '" + key + "'";
        } else {
            problem = std::string("cannot be read: ") + sqlite3_errmsg(db);
        }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (!problem.empty()) throw Error(path, problem + ".");
    return value;
}

const PickleValue* entry(const PickleValue& dict, const std::string& key, const std::string& context) {
    const PickleValue* v = dict.find(key);
    if (!v || v->kind != Kind::Dict)
        throw Error(context, "has no '" + key + "' table; were the dependencies downloaded for this DNA model?");
    return v;
}

}  // namespace

LocusTable importLocusEmbeddings(const std::string& dependenciesDir, const std::vector<std::string>& cpgs,
                                 const std::string& dnaLlm, int contextLen, int dim, const std::string& species,
                                 LocusImportReport* report) {
    const fs::path deps(dependenciesDir);
    const std::unordered_set<std::string> wantedCpgs(cpgs.begin(), cpgs.end());
    const KeyFilter keepCpg = [&](const std::string& k) { return wantedCpgs.count(k) != 0; };
    const std::string illuminaPath = (deps / "illumina_metadata.db").string();
    const PickleRef probes = sqliteDictValue(illuminaPath, species, keepCpg);
    if (probes->kind != Kind::Dict) throw Error(illuminaPath, "does not map probe ids to genomic locations.");

    // Probe id -> "chrom:position" (chromosome without "chr", as upstream's manifest parser writes it).
    std::vector<std::string> locations(cpgs.size());
    std::unordered_set<std::string> wantedLocations;
    for (std::size_t i = 0; i < cpgs.size(); ++i) {
        const PickleValue* loc = probes->find(cpgs[i]);
        if (loc && loc->kind == Kind::String) {
            locations[i] = loc->s;
            wantedLocations.insert(loc->s);
        }
    }
    const std::string ensemblPath = (deps / "ensembl_metadata.db").string();
    const KeyFilter keepLocation = [&](const std::string& k) { return wantedLocations.count(k) != 0; };
    const PickleRef meta = sqliteDictValue(ensemblPath, species, keepLocation);
    if (meta->kind != Kind::Dict) throw Error(ensemblPath, "does not hold a metadata table for '" + species + "'.");
    const PickleValue* byContext = entry(*meta, dnaLlm, ensemblPath);
    const PickleValue* rows = nullptr;
    for (const auto& [k, v] : byContext->dict)
        if (k->kind == Kind::Int && k->i == contextLen && v->kind == Kind::Dict) rows = v.get();
    if (!rows)
        throw Error(ensemblPath, "has no " + std::to_string(contextLen) + " bp embedding index for " + dnaLlm + ".");

    const fs::path mmapPath =
        deps / "dna_embeddings" / species / dnaLlm / (std::to_string(contextLen) + "bp_dna_embeddings.mmap");
    if (!fs::exists(mmapPath)) throw Error(mmapPath.string(), "is missing from the CpGPT dependencies folder.");
    const tensor::MappedFile file(mmapPath.string());
    const std::size_t rowBytes = static_cast<std::size_t>(dim) * sizeof(float);
    if (file.size() % rowBytes != 0)
        throw Error(mmapPath.string(), "is " + std::to_string(file.size()) + " bytes, not a whole number of " +
                                           std::to_string(dim) + "-float rows (wrong DNA model or truncated?).");
    const std::uint64_t fileRows = file.size() / rowBytes;

    LocusTable t;
    t.cpgs = cpgs;
    t.dim = dim;
    t.dnaLlm = dnaLlm;
    t.contextLen = contextLen;
    t.positions.assign(cpgs.size(), -1);
    t.embeddings.assign(cpgs.size() * static_cast<std::size_t>(dim), 0.0f);
    LocusImportReport r;
    r.requested = cpgs.size();
    r.embeddingsFile = mmapPath.string();
    for (std::size_t i = 0; i < cpgs.size(); ++i) {
        const std::string& loc = locations[i];
        const std::size_t colon = loc.rfind(':');
        const PickleValue* row = loc.empty() ? nullptr : rows->find(loc);
        if (!loc.empty()) ++r.located;
        if (!row || row->kind != Kind::Int || colon == std::string::npos) {
            r.missing.push_back(cpgs[i]);
            continue;
        }
        if (row->i < 0 || static_cast<std::uint64_t>(row->i) >= fileRows)
            throw Error(ensemblPath, "places " + loc + " at row " + std::to_string(row->i) + ", but " +
                                         mmapPath.string() + " has " + std::to_string(fileRows) + " rows.");
        try {
            t.positions[i] = std::stoll(loc.substr(colon + 1));
        } catch (const std::exception&) {
            throw Error(illuminaPath, "gives '" + cpgs[i] + "' the location '" + loc + "', which has no position.");
        }
        std::memcpy(t.embeddings.data() + i * static_cast<std::size_t>(dim),
                    file.data() + static_cast<std::size_t>(row->i) * rowBytes, rowBytes);
        ++r.embedded;
    }
    if (r.embedded == 0)
        throw Error(dependenciesDir, "places none of the " + std::to_string(cpgs.size()) +
                                         " CpGs of the model (wrong species or DNA model?).");
    if (report) *report = r;
    return t;
}

}  // namespace benchtop::methyl::cpgpt
