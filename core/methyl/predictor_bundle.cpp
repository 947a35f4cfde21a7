// TorchScript predictor bundles: manifest validation, folder/zip members, batched inference over samples.
#include "core/methyl/predictor_bundle.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/script.h>
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/hub/catalog.h"
#include "core/hub/model_store.h"
#include "core/tensor/zip_archive.h"

namespace benchtop::methyl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kManifestName = "manifest.json";
constexpr double kMEpsilon = 1e-6;  // betas are clamped to [eps, 1 - eps] before the logit

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string typeName(const json& j) {
    if (j.is_null()) return "null";
    if (j.is_boolean()) return "a boolean";
    if (j.is_number_integer() || j.is_number_unsigned()) return "an integer";
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string";
    if (j.is_array()) return "an array";
    return "an object";
}

/// Reads one JSON object strictly: every key is either required or optional, anything else is an error
/// naming the key, so a typo ("transfrom") never silently falls back to a default.
class StrictObject {
public:
    StrictObject(const json& object, std::string origin, std::string prefix)
        : m_object(object), m_origin(std::move(origin)), m_prefix(std::move(prefix)) {}

    Error error(const std::string& key, const std::string& problem) const {
        return Error(m_origin, "key '" + m_prefix + key + "' " + problem);
    }

    const json* get(const std::string& key, bool required) {
        m_known.insert(key);
        const auto it = m_object.find(key);
        if (it == m_object.end()) {
            if (required) throw Error(m_origin, "missing key '" + m_prefix + key + "'");
            return nullptr;
        }
        return &*it;
    }

    std::optional<std::string> string(const std::string& key, bool required, bool allowEmpty = false) {
        const json* v = get(key, required);
        if (!v) return std::nullopt;
        if (!v->is_string()) throw error(key, "must be a string (got " + typeName(*v) + ")");
        std::string s = v->get<std::string>();
        if (!allowEmpty && s.empty()) throw error(key, "must not be empty");
        return s;
    }

    const json* object(const std::string& key, bool required) {
        const json* v = get(key, required);
        if (v && !v->is_object()) throw error(key, "must be an object (got " + typeName(*v) + ")");
        return v;
    }

    /// Every key not asked for so far is unknown.
    void rejectUnknown() const {
        for (auto it = m_object.begin(); it != m_object.end(); ++it)
            if (!m_known.count(it.key()))
                throw Error(m_origin, "unknown key '" + m_prefix + it.key() +
                                          "' (see docs/methylation-bundles.md for the keys of a manifest)");
    }

private:
    const json& m_object;
    std::string m_origin;
    std::string m_prefix;
    std::set<std::string> m_known;
};

/// A member name inside the bundle: a plain relative path, never leaving the bundle.
std::string memberName(StrictObject& o, const std::string& key, const std::string& fallback) {
    const auto v = o.string(key, false);
    if (!v) return fallback;
    const fs::path p(*v);
    if (p.is_absolute() || v->front() == '/' || v->front() == '\\')
        throw o.error(key, "must be a file name inside the bundle, not an absolute path ('" + *v + "')");
    for (const auto& part : p)
        if (part == "..") throw o.error(key, "must not leave the bundle ('" + *v + "')");
    return *v;
}

Transform parseTransform(StrictObject& o, const std::string& key) {
    const auto v = o.string(key, false);
    if (!v) return Transform::Identity;
    const std::string t = toLowerAscii(*v);
    if (t == "identity") return Transform::Identity;
    if (t == "sigmoid") return Transform::Sigmoid;
    if (t == "anti_trafo") return Transform::AntiTrafo;
    throw o.error(key, "has the unknown transform '" + *v + "'; use identity, sigmoid or anti_trafo");
}

double applyTransform(Transform t, double x) {
    switch (t) {
        case Transform::Sigmoid:
            return 1.0 / (1.0 + std::exp(-x));
        case Transform::AntiTrafo:
            return antiTrafo(x);
        case Transform::Identity:
            break;
    }
    return x;
}

bool validOutputName(const std::string& n) {
    return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

/// The first line of a torch exception (c10 errors append a C++ backtrace).
std::string torchMessage(const std::exception& e) {
    std::string m;
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e))
        m = c10->what_without_backtrace();
    else
        m = e.what();
    // TorchScript errors quote the failing source lines after the first one.
    const auto nl = m.find('\n');
    if (nl != std::string::npos) m = m.substr(0, nl);
    while (!m.empty() && (m.back() == ' ' || m.back() == '\r' || m.back() == ':')) m.pop_back();
    return m;
}

std::string percent(double f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f %%", f * 100.0);
    return buf;
}

/// Bytes in memory as a seekable std::istream buffer: torch::jit::load() reads a zip member in place.
class ByteStreamBuf : public std::streambuf {
public:
    ByteStreamBuf(const std::uint8_t* data, std::size_t size) {
        char* p = reinterpret_cast<char*>(const_cast<std::uint8_t*>(data));
        setg(p, p, p + size);
    }

protected:
    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
        char* base = dir == std::ios_base::beg ? eback() : dir == std::ios_base::cur ? gptr() : egptr();
        if (off < eback() - base || off > egptr() - base) return pos_type(off_type(-1));
        setg(eback(), base + off, egptr());
        return pos_type(gptr() - eback());
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
        return seekoff(off_type(pos), std::ios_base::beg, which);
    }
};

/// Where the bundle's members come from: a folder, or a zip (optionally with one top-level folder).
class BundleSource {
public:
    explicit BundleSource(const std::string& path) : m_path(path) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) return;
        if (!fs::is_regular_file(path, ec))
            throw Error(path, "no such file or folder; a predictor bundle is a folder or a .zip with " +
                                  std::string(kManifestName) + ", cpgs.txt and model.pt");
        m_zip = std::make_unique<tensor::ZipArchive>(path);
        if (m_zip->find(kManifestName)) return;
        // Zipping the bundle folder itself puts every member under "<folder>/".
        std::vector<std::string> candidates;
        for (const auto& e : m_zip->entries()) {
            const auto slash = e.name.find('/');
            if (slash != std::string::npos && e.name.substr(slash + 1) == kManifestName)
                candidates.push_back(e.name.substr(0, slash + 1));
        }
        if (candidates.size() == 1) {
            m_prefix = candidates.front();
            return;
        }
        throw Error(path, candidates.empty()
                              ? "the zip has no member manifest.json (a predictor bundle needs manifest.json, "
                                "cpgs.txt and model.pt at its top level or in one folder)"
                              : "the zip holds several bundles (more than one folder with a manifest.json)");
    }

    /// "bundle/cpgs.txt" or "bundle.zip:cpgs.txt", for messages.
    std::string describe(const std::string& member) const {
        return m_zip ? m_path + ":" + m_prefix + member : (fs::path(m_path) / member).string();
    }

    /// The member's bytes; throws naming the member when it is missing.
    std::string read(const std::string& member) const {
        if (m_zip) {
            const auto bytes = zipMember(member);
            return std::string(reinterpret_cast<const char*>(bytes.data), bytes.size);
        }
        const fs::path file = fs::path(m_path) / member;
        std::ifstream in(file, std::ios::binary);
        if (!in)
            throw Error(file.string(),
                        "missing from the bundle (a predictor bundle needs manifest.json, cpgs.txt and model.pt)");
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }

    /// Loads a TorchScript member onto the CPU.
    torch::jit::Module loadModule(const std::string& member) const {
        if (m_zip) {
            const auto bytes = zipMember(member);  // a view into the mapping when stored, else inflated once
            ByteStreamBuf buffer(bytes.data, bytes.size);
            std::istream in(&buffer);
            return torch::jit::load(in, torch::kCPU);
        }
        const fs::path file = fs::path(m_path) / member;
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
            throw Error(file.string(),
                        "missing from the bundle (a predictor bundle needs manifest.json, cpgs.txt and model.pt)");
        return torch::jit::load(file.string(), torch::kCPU);
    }

private:
    tensor::ByteView zipMember(const std::string& member) const {
        const std::string name = m_prefix + member;
        if (!m_zip->find(name))
            throw Error(m_path, "the zip has no member '" + name +
                                    "' (a predictor bundle needs manifest.json, cpgs.txt and model.pt)");
        return m_zip->read(name);
    }

    std::string m_path;
    std::unique_ptr<tensor::ZipArchive> m_zip;
    std::string m_prefix;
};

/// cpgs.txt: one Illumina probe id per line, no header, no duplicates.
std::vector<std::string> parseCpgList(const std::string& text, const std::string& origin) {
    std::vector<std::string> ids;
    ProbeIndex seen;
    std::size_t pos = 0, lineNo = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        std::size_t start = 0;
        while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
        line.erase(0, start);
        if (lineNo == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
        if (line.empty()) continue;
        if (!isProbeId(line))
            throw Error(origin + ":" + std::to_string(lineNo),
                        "'" + line +
                            "' is not an Illumina probe id (cg########, ch.*, rs*); cpgs.txt lists one input "
                            "CpG per line, in the order of the network's input columns, without a header");
        const std::string id(stripProbeSuffix(line));
        const std::size_t before = seen.size();
        if (static_cast<std::size_t>(seen.add(id)) < before)
            throw Error(origin + ":" + std::to_string(lineNo), "duplicate CpG '" + id + "'");
        ids.push_back(id);
    }
    if (ids.empty()) throw Error(origin, "lists no CpGs");
    return ids;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
std::string toString(BundleInputKind kind) {
    return kind == BundleInputKind::MValue ? "m" : "beta";
}

std::string toString(BundleImputation imputation) {
    switch (imputation) {
        case BundleImputation::CohortMean:
            return "cohort_mean";
        case BundleImputation::SampleMean:
            return "sample_mean";
        case BundleImputation::Reference:
            break;
    }
    return "reference";
}

BundleManifest parseBundleManifest(const std::string& jsonText, const std::string& origin) {
    json root;
    try {
        root = json::parse(jsonText);
    } catch (const std::exception& e) {
        throw Error(origin, std::string("is not valid JSON: ") + e.what());
    }
    if (!root.is_object()) throw Error(origin, "must hold a JSON object (got " + typeName(root) + ")");
    BundleManifest m;
    StrictObject top(root, origin, "");
    if (const json* v = top.get("format_version", false)) {
        if (!v->is_number_integer()) throw top.error("format_version", "must be an integer (got " + typeName(*v) + ")");
        m.formatVersion = v->get<int>();
        if (m.formatVersion != 1)
            throw top.error("format_version", "is " + std::to_string(m.formatVersion) +
                                                  "; this Benchtop reads format version 1 (update Benchtop)");
    }
    m.name = *top.string("name", true);
    m.description = top.string("description", false, true).value_or("");
    const std::string task = *top.string("task", true);
    if (toLowerAscii(task) != "methylation")
        throw top.error("task", "is '" + task +
                                    "'; this bundle is not a methylation predictor (task must be "
                                    "\"methylation\")");
    m.modelFile = memberName(top, "model", "model.pt");

    const json* input = top.object("input", true);
    StrictObject in(*input, origin, "input.");
    m.cpgsFile = memberName(in, "cpgs", "cpgs.txt");
    const std::string kind = toLowerAscii(*in.string("kind", true));
    if (kind == "beta")
        m.inputKind = BundleInputKind::Beta;
    else if (kind == "m" || kind == "mvalue" || kind == "m-value" || kind == "m_value")
        m.inputKind = BundleInputKind::MValue;
    else
        throw in.error("kind", "is '" + kind + "'; use \"beta\" or \"m\"");
    const json* imp = in.object("imputation", true);
    StrictObject io(*imp, origin, "input.imputation.");
    const std::string method = toLowerAscii(*io.string("method", true));
    if (method == "reference")
        m.imputation = BundleImputation::Reference;
    else if (method == "cohort_mean")
        m.imputation = BundleImputation::CohortMean;
    else if (method == "sample_mean")
        m.imputation = BundleImputation::SampleMean;
    else
        throw io.error("method", "is '" + method + "'; use reference, cohort_mean or sample_mean");
    if (const json* values = io.get("values", m.imputation == BundleImputation::Reference)) {
        auto check = [&](const json& v, const std::string& key) {
            if (!v.is_number()) throw io.error(key, "must be a number (got " + typeName(v) + ")");
            const double d = v.get<double>();
            if (!std::isfinite(d) || d < 0.0 || d > 1.0)
                throw io.error(key, "is " + v.dump() + "; imputation values are beta values in [0, 1]");
            return d;
        };
        if (values->is_array()) {
            if (values->empty()) throw io.error("values", "is an empty array");
            for (std::size_t i = 0; i < values->size(); ++i)
                m.imputationValues.push_back(check((*values)[i], "values[" + std::to_string(i) + "]"));
        } else if (values->is_number()) {
            m.imputationValues.push_back(check(*values, "values"));
        } else {
            throw io.error("values", "must be an array of beta values (one per CpG of cpgs.txt) or one number (got " +
                                         typeName(*values) + ")");
        }
    }
    io.rejectUnknown();
    in.rejectUnknown();

    const json* outputs = top.get("outputs", true);
    if (!outputs->is_array() || outputs->empty())
        throw top.error("outputs", "must be a non-empty array of {name, unit, transform} objects");
    std::set<std::string> names;
    for (std::size_t i = 0; i < outputs->size(); ++i) {
        const std::string prefix = "outputs[" + std::to_string(i) + "].";
        const json& o = (*outputs)[i];
        if (!o.is_object())
            throw Error(origin, "key 'outputs[" + std::to_string(i) + "]' must be an object (got " + typeName(o) + ")");
        StrictObject so(o, origin, prefix);
        BundleOutput out;
        out.name = *so.string("name", true);
        if (!validOutputName(out.name))
            throw so.error("name", "is '" + out.name + "'; use letters, digits, '_', '-' and '.' only");
        if (!names.insert(toLowerAscii(out.name)).second)
            throw so.error("name", "repeats the output name '" + out.name + "'");
        if (findClockDefinition(out.name))
            throw so.error("name", "is '" + out.name + "', the id of a built-in clock; choose another name");
        out.unit = *so.string("unit", true);
        out.transform = parseTransform(so, "transform");
        out.description = so.string("description", false, true).value_or("");
        so.rejectUnknown();
        m.outputs.push_back(std::move(out));
    }
    if (const json* v = top.get("reduced_precision", false)) {
        if (!v->is_boolean()) throw top.error("reduced_precision", "must be true or false (got " + typeName(*v) + ")");
        m.reducedPrecision = v->get<bool>();
    }
    if (const json* v = top.get("batch_size", false)) {
        if (!v->is_number_integer() || v->get<long long>() < 1 || v->get<long long>() > 1000000)
            throw top.error("batch_size", "must be a positive integer (got " + v->dump() + ")");
        m.batchSize = v->get<int>();
    }
    top.object("metadata", false);  // free-form: provenance, licence, citation
    top.rejectUnknown();
    return m;
}

bool looksLikeBundle(const std::string& path) {
    std::error_code ec;
    if (path.empty()) return false;
    if (fs::is_directory(path, ec)) return fs::is_regular_file(fs::path(path) / kManifestName, ec);
    return fs::is_regular_file(path, ec) && endsWith(toLowerAscii(path), ".zip");
}

namespace {

hub::Catalog catalogOrEmpty() {
    try {
        return hub::Catalog::loadDefault();
    } catch (const Error&) {
        return {};  // the store still finds imported bundles without a catalog
    }
}

}  // namespace

std::string resolveBundlePath(const std::string& ref) {
    if (ref.empty()) throw Error("predictor", "no bundle given");
    std::error_code ec;
    if (fs::is_directory(ref, ec)) {
        if (!fs::is_regular_file(fs::path(ref) / kManifestName, ec))
            throw Error(ref,
                        "is a folder without manifest.json; a predictor bundle holds manifest.json, cpgs.txt "
                        "and model.pt (see docs/methylation-bundles.md)");
        return ref;
    }
    if (fs::is_regular_file(ref, ec)) {
        if (!endsWith(toLowerAscii(ref), ".zip"))
            throw Error(ref, "is not a predictor bundle: give a bundle folder or a .zip of one");
        return ref;
    }
    hub::ModelStore store(catalogOrEmpty());
    if (auto local = store.find(ref)) {
        if (fs::is_regular_file(fs::path(local->path) / kManifestName, ec)) return local->path;
        throw Error(ref, "the model " + local->path + " is a " + hub::toString(local->validation.family) +
                             " model, not a TorchScript predictor bundle (no manifest.json)");
    }
    if (const hub::CatalogEntry* entry = store.catalogEntryFor(ref)) {
        if (entry->family != hub::ModelFamily::TorchScript)
            throw Error(ref, "is a " + hub::toString(entry->family) +
                                 " model of the catalog, not a TorchScript predictor bundle");
        return store.resolve(ref);  // throws "not downloaded: run `benchtop-cli models pull ...`"
    }
    throw Error(ref,
                "no such bundle folder, .zip file or model-store id (install one with `benchtop-cli models "
                "import FOLDER`)");
}

// ---------------------------------------------------------------------------------------------
struct PredictorBundle::Impl {
    std::string path;
    std::string device = "cpu";
    BundleManifest manifest;
    std::vector<std::string> cpgs;
    torch::jit::Module module;
    /// A reduced-precision copy, made on first use (the fp32 module stays intact).
    mutable std::optional<torch::jit::Module> reduced;
    mutable c10::ScalarType reducedType = torch::kFloat;
    std::string modelDesc;
};

PredictorBundle::PredictorBundle(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PredictorBundle::PredictorBundle(PredictorBundle&&) noexcept = default;
PredictorBundle& PredictorBundle::operator=(PredictorBundle&&) noexcept = default;
PredictorBundle::~PredictorBundle() = default;

const std::string& PredictorBundle::path() const {
    return m_impl->path;
}
const BundleManifest& PredictorBundle::manifest() const {
    return m_impl->manifest;
}
const std::vector<std::string>& PredictorBundle::cpgs() const {
    return m_impl->cpgs;
}
const std::string& PredictorBundle::device() const {
    return m_impl->device;
}

PredictorBundle PredictorBundle::load(const std::string& path, const std::string& device) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->device = device.empty() ? "cpu" : device;
    const BundleSource source(path);
    const std::string manifestDesc = source.describe(kManifestName);
    impl->manifest = parseBundleManifest(source.read(kManifestName), manifestDesc);
    const BundleManifest& m = impl->manifest;
    const std::string cpgsDesc = source.describe(m.cpgsFile);
    impl->cpgs = parseCpgList(source.read(m.cpgsFile), cpgsDesc);
    const std::size_t n = impl->cpgs.size();
    if (m.imputationValues.size() > 1 && m.imputationValues.size() != n)
        throw Error(manifestDesc, "key 'input.imputation.values' has " + std::to_string(m.imputationValues.size()) +
                                      " values but " + m.cpgsFile + " lists " + std::to_string(n) +
                                      " CpGs (one value per CpG, in the same order)");
    if (m.imputationValues.size() == 1) impl->manifest.imputationValues.assign(n, m.imputationValues.front());

    impl->modelDesc = source.describe(m.modelFile);
    try {
        impl->module = source.loadModule(m.modelFile);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(impl->modelDesc, "is not a TorchScript module that libtorch " + device::torchVersion() +
                                         " can load (" + torchMessage(e) +
                                         "); save the network with torch.jit.trace(...).save() or "
                                         "torch.jit.script(...).save()");
    }
    impl->module.eval();
    const torch::Device dev(impl->device);
    if (!dev.is_cpu()) impl->module.to(dev);

    // Dry run on zeros: input width = CpGs of cpgs.txt, output width = outputs of the manifest. Two rows,
    // so a module traced with a fixed batch of one is caught here rather than in the middle of a cohort.
    torch::NoGradGuard noGrad;
    torch::jit::IValue result;
    try {
        result = impl->module.forward({torch::zeros({2, static_cast<std::int64_t>(n)}, torch::kFloat).to(dev)});
    } catch (const std::exception& e) {
        throw Error(impl->modelDesc, "does not accept 2 samples x " + std::to_string(n) + " CpGs (" + m.cpgsFile +
                                         " lists " + std::to_string(n) +
                                         "; the network's input width must match): " + torchMessage(e));
    }
    if (!result.isTensor())
        throw Error(impl->modelDesc,
                    "returns " + result.tagKind() + "; a predictor must return one tensor of samples x outputs");
    const torch::Tensor out = result.toTensor();
    const std::int64_t width = out.dim() == 1 ? 1 : out.dim() == 2 ? out.size(1) : -1;
    if (out.dim() < 1 || out.dim() > 2 || out.size(0) != 2)
        throw Error(impl->modelDesc, "returns a tensor of shape " + std::string(c10::str(out.sizes())) +
                                         " for 2 samples; a predictor must return samples x outputs");
    if (width != static_cast<std::int64_t>(m.outputs.size()))
        throw Error(manifestDesc, "key 'outputs' lists " + std::to_string(m.outputs.size()) + " outputs but " +
                                      m.modelFile + " returns " + std::to_string(width) + " values per sample");
    return PredictorBundle(std::move(impl));
}

std::vector<ClockResult> PredictorBundle::predict(const BetaMatrix& matrix, const BundleRunOptions& options,
                                                  std::string* precisionNote) const {
    const Impl& d = *m_impl;
    const BundleManifest& man = d.manifest;
    const std::size_t ns = matrix.cols();
    const std::size_t n = d.cpgs.size();
    const std::size_t nOut = man.outputs.size();

    // Column j of the network reads matrix row rowOf[j] (-1: the CpG is not in the file).
    std::vector<int> rowOf(n);
    for (std::size_t j = 0; j < n; ++j) rowOf[j] = matrix.row(d.cpgs[j]);
    std::vector<double> cohortMean(n, kMissing);
    if (man.imputation == BundleImputation::CohortMean) {
        for (std::size_t j = 0; j < n; ++j) {
            if (rowOf[j] < 0) continue;
            double sum = 0;
            std::size_t count = 0;
            for (std::size_t s = 0; s < ns; ++s) {
                const double v = matrix.at(static_cast<std::size_t>(rowOf[j]), s);
                if (!std::isnan(v)) {
                    sum += v;
                    ++count;
                }
            }
            if (count > 0) cohortMean[j] = sum / static_cast<double>(count);
        }
    }
    const bool haveValues = !man.imputationValues.empty();

    std::vector<ClockResult> results(nOut);
    for (std::size_t k = 0; k < nOut; ++k) {
        ClockResult& r = results[k];
        r.clockId = man.outputs[k].name;
        r.required = static_cast<int>(n);
        r.values.assign(ns, kMissing);
        r.present.assign(ns, 0);
        r.imputed.assign(ns, 0);
        r.reasons.assign(ns, std::string());
        switch (man.imputation) {
            case BundleImputation::Reference:
                r.method = "missing values -> the bundle's imputation values";
                break;
            case BundleImputation::CohortMean:
                r.method = std::string("missing cells -> cohort mean of the CpG; CpGs measured in no sample -> ") +
                           (haveValues ? "the bundle's imputation values" : "the sample's mean");
                break;
            case BundleImputation::SampleMean:
                r.method = "missing values -> the sample's mean over the bundle's measured CpGs";
                break;
        }
        r.method += man.inputKind == BundleInputKind::MValue ? "; input as M-values" : "; input as betas";
    }

    // Coverage per sample, as for the clocks: too few measured CpGs leaves the sample's values empty.
    std::vector<std::size_t> runnable;
    std::vector<int> present(ns, 0);
    std::vector<double> sampleMean(ns, kMissing);
    for (std::size_t s = 0; s < ns; ++s) {
        double sum = 0;
        for (std::size_t j = 0; j < n; ++j) {
            if (rowOf[j] < 0) continue;
            const double v = matrix.at(static_cast<std::size_t>(rowOf[j]), s);
            if (!std::isnan(v)) {
                ++present[s];
                sum += v;
            }
        }
        if (present[s] > 0) sampleMean[s] = sum / present[s];
        const double coverage = static_cast<double>(present[s]) / static_cast<double>(n);
        std::string reason;
        if (coverage < options.minCoverage)
            reason = std::to_string(present[s]) + " of " + std::to_string(n) + " CpGs present (" + percent(coverage) +
                     " < " + percent(options.minCoverage) + " required)";
        else if (present[s] == 0)
            reason = "none of the bundle's " + std::to_string(n) + " CpGs is measured in this sample";
        for (auto& r : results) {
            r.present[s] = present[s];
            r.reasons[s] = reason;
        }
        if (reason.empty()) runnable.push_back(s);
    }

    // Precision: fp32 unless the manifest allows the job's reduced precision.
    const torch::Device dev(d.device);
    c10::ScalarType dtype = torch::kFloat;
    std::string note = "fp32";
    if (options.precision == device::Precision::Bf16 || options.precision == device::Precision::Fp16) {
        const std::string wanted = device::toString(options.precision);
        if (!man.reducedPrecision) {
            note = "fp32 (the bundle's manifest does not allow reduced precision; the job asked for " + wanted + ")";
        } else if (options.precision == device::Precision::Fp16 && dev.is_cpu()) {
            note = "fp32 (fp16 is not supported on the CPU)";
        } else {
            dtype = options.precision == device::Precision::Bf16 ? torch::kBFloat16 : torch::kHalf;
            note = wanted + " (the job's precision; the bundle allows reduced precision)";
        }
    }
    if (precisionNote) *precisionNote = note;
    torch::jit::Module module = d.module;
    if (dtype != torch::kFloat) {
        if (!d.reduced || d.reducedType != dtype) {
            d.reduced = d.module.clone();
            d.reduced->to(dtype);
            d.reducedType = dtype;
        }
        module = *d.reduced;
    }

    const std::size_t batch =
        static_cast<std::size_t>(std::max(1, options.batchSize > 0 ? options.batchSize : man.batchSize));
    torch::NoGradGuard noGrad;
    std::vector<float> x;
    for (std::size_t b0 = 0; b0 < runnable.size(); b0 += batch) {
        const std::size_t bn = std::min(batch, runnable.size() - b0);
        x.assign(bn * n, 0.0f);
        for (std::size_t i = 0; i < bn; ++i) {
            const std::size_t s = runnable[b0 + i];
            int imputed = 0;
            for (std::size_t j = 0; j < n; ++j) {
                double v = rowOf[j] >= 0 ? matrix.at(static_cast<std::size_t>(rowOf[j]), s) : kMissing;
                if (std::isnan(v)) {
                    ++imputed;
                    switch (man.imputation) {
                        case BundleImputation::Reference:
                            v = man.imputationValues[j];
                            break;
                        case BundleImputation::CohortMean:
                            v = !std::isnan(cohortMean[j]) ? cohortMean[j]
                                : haveValues               ? man.imputationValues[j]
                                                           : sampleMean[s];
                            break;
                        case BundleImputation::SampleMean:
                            v = sampleMean[s];
                            break;
                    }
                }
                if (man.inputKind == BundleInputKind::MValue) {
                    const double b = std::min(1.0 - kMEpsilon, std::max(kMEpsilon, v));
                    v = std::log2(b / (1.0 - b));
                }
                x[i * n + j] = static_cast<float>(v);
            }
            for (auto& r : results) r.imputed[s] = imputed;
        }
        torch::Tensor input =
            torch::from_blob(x.data(), {static_cast<std::int64_t>(bn), static_cast<std::int64_t>(n)}, torch::kFloat)
                .to(dev, dtype, /*non_blocking=*/false, /*copy=*/true);
        torch::Tensor out;
        try {
            out = module.forward({input}).toTensor();
        } catch (const std::exception& e) {
            throw Error(d.modelDesc, "failed on a batch of " + std::to_string(bn) + " samples: " + torchMessage(e));
        }
        out = out.to(torch::kCPU, torch::kDouble).contiguous().reshape({static_cast<std::int64_t>(bn), -1});
        if (out.size(1) != static_cast<std::int64_t>(nOut))
            throw Error(d.modelDesc, "returned " + std::to_string(out.size(1)) + " values per sample, expected " +
                                         std::to_string(nOut));
        const double* o = out.data_ptr<double>();
        for (std::size_t i = 0; i < bn; ++i) {
            const std::size_t s = runnable[b0 + i];
            for (std::size_t k = 0; k < nOut; ++k) {
                const double v = applyTransform(man.outputs[k].transform, o[i * nOut + k]);
                if (std::isfinite(v))
                    results[k].values[s] = v;
                else
                    results[k].reasons[s] = "the network returned a non-finite value";
            }
        }
    }
    return results;
}

std::vector<Clock> PredictorBundle::outputClocks() const {
    const BundleManifest& man = m_impl->manifest;
    std::vector<Clock> out;
    for (const auto& o : man.outputs) {
        Clock c;
        c.def.id = o.name;
        c.def.file = m_impl->path;
        c.def.kind = ClockKind::TorchScript;
        c.def.transform = o.transform;
        // "age, years" is what the writers look for to report age acceleration.
        c.def.output = toLowerAscii(o.unit) == "years" ? "predicted age, years" : o.unit;
        c.def.citation = "TorchScript bundle '" + man.name + "' (" + m_impl->path + ")";
        if (!o.description.empty()) c.def.citation += ": " + o.description;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace benchtop::methyl
