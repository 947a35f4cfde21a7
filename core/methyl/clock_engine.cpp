// Clock evaluation: missing-value policies, DunedinPACE quantile normalisation, Zhang standardisation,
// and one batched double-precision product for every linear part.
#include "core/methyl/clock_engine.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <optional>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "core/common/error.h"

namespace benchtop::methyl {
namespace {

std::string percent(double f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f %%", f * 100.0);
    return buf;
}

std::string coverageReason(int present, int required, double minCoverage) {
    const double f = required > 0 ? static_cast<double>(present) / required : 0.0;
    return std::to_string(present) + " of " + std::to_string(required) + " CpGs present (" + percent(f) + " < " +
           percent(minCoverage) + " required)";
}

double applyTransform(Transform t, double x) {
    switch (t) {
        case Transform::AntiTrafo:
            return antiTrafo(x);
        case Transform::Sigmoid:
            return 1.0 / (1.0 + std::exp(-x));
        case Transform::Identity:
            break;
    }
    return x;
}

/// The samples whose values are computed, [first, end): all of them, or one part's range (`--shard`).
/// Cohort-level statistics (CpG means, DunedinPACE's imputation) always use every sample of the matrix.
struct Window {
    std::size_t first = 0;
    std::size_t end = 0;
    std::size_t size() const { return end - first; }
    bool has(std::size_t s) const { return s >= first && s < end; }
};

/// Cohort facts per stored CpG row.
struct RowStats {
    std::vector<double> mean;  ///< mean of the measured cells, NaN when none
};

RowStats rowStats(const BetaMatrix& m) {
    RowStats st;
    st.mean.assign(m.rows(), kMissing);
    const std::size_t ns = m.cols();
    for (std::size_t r = 0; r < m.rows(); ++r) {
        double s = 0;
        std::size_t c = 0;
        for (std::size_t j = 0; j < ns; ++j) {
            const double v = m.values[r * ns + j];
            if (!std::isnan(v)) {
                s += v;
                ++c;
            }
        }
        if (c > 0) st.mean[r] = s / static_cast<double>(c);
    }
    return st;
}

/// The dense block of one clock in the batched product.
struct Block {
    const Clock* clock = nullptr;
    std::size_t offset = 0;
    std::vector<double> x;  ///< window samples x cpgs, row-major (filled, 0 = left out)
    ClockResult result;
    std::vector<bool> computable;
};

/// scipy.optimize.fminbound (Brent, bounded), used by biolearn's MiAge.
template <class F>
double fminbound(F f, double lo, double hi, double xtol = 1e-5, int maxfun = 500) {
    const double sqrtEps = std::sqrt(2.2e-16);
    const double golden = 0.5 * (3.0 - std::sqrt(5.0));
    double a = lo, b = hi;
    double fulc = a + golden * (b - a);
    double nfc = fulc, xf = fulc;
    double rat = 0.0, e = 0.0;
    double x = xf;
    double fx = f(x);
    int num = 1;
    double ffulc = fx, fnfc = fx;
    double xm = 0.5 * (a + b);
    double tol1 = sqrtEps * std::abs(xf) + xtol / 3.0;
    double tol2 = 2.0 * tol1;
    while (std::abs(xf - xm) > (tol2 - 0.5 * (b - a))) {
        bool useGolden = true;
        if (std::abs(e) > tol1) {
            useGolden = false;
            double r = (xf - nfc) * (fx - ffulc);
            double q = (xf - fulc) * (fx - fnfc);
            double p = (xf - fulc) * q - (xf - nfc) * r;
            q = 2.0 * (q - r);
            if (q > 0.0) p = -p;
            q = std::abs(q);
            r = e;
            e = rat;
            if (std::abs(p) < std::abs(0.5 * q * r) && p > q * (a - xf) && p < q * (b - xf)) {
                rat = p / q;
                x = xf + rat;
                if ((x - a) < tol2 || (b - x) < tol2) {
                    const double si = (xm - xf) > 0 ? 1.0 : (xm - xf) < 0 ? -1.0 : 1.0;
                    rat = tol1 * si;
                }
            } else {
                useGolden = true;
            }
        }
        if (useGolden) {
            e = xf >= xm ? a - xf : b - xf;
            rat = golden * e;
        }
        const double si = rat > 0 ? 1.0 : rat < 0 ? -1.0 : 1.0;
        x = xf + si * std::max(std::abs(rat), tol1);
        const double fu = f(x);
        ++num;
        if (fu <= fx) {
            if (x >= xf)
                a = xf;
            else
                b = xf;
            fulc = nfc;
            ffulc = fnfc;
            nfc = xf;
            fnfc = fx;
            xf = x;
            fx = fu;
        } else {
            if (x < xf)
                a = x;
            else
                b = x;
            if (fu <= fnfc || nfc == xf) {
                fulc = nfc;
                ffulc = fnfc;
                nfc = x;
                fnfc = fu;
            } else if (fu <= ffulc || fulc == xf || fulc == nfc) {
                fulc = x;
                ffulc = fu;
            }
        }
        xm = 0.5 * (a + b);
        tol1 = sqrtEps * std::abs(xf) + xtol / 3.0;
        tol2 = 2.0 * tol1;
        if (num >= maxfun) break;
    }
    return xf;
}

/// Linear clocks: fill per policy, check coverage.
void buildLinear(const BetaMatrix& m, const RowStats& rs, const ClockLibrary& lib, const PredictOptions& o,
                 const Window& w, Block& b) {
    const Clock& c = *b.clock;
    const std::size_t ns = m.cols();
    const std::size_t n = c.cpgs.size();
    std::vector<int> rows(n);
    std::vector<double> ref(n, kMissing);
    for (std::size_t j = 0; j < n; ++j) {
        rows[j] = m.row(c.cpgs[j]);
        ref[j] = lib.referenceValue(c, c.cpgs[j]);
    }
    const bool cellMean = o.imputation == Imputation::Auto || o.imputation == Imputation::CohortMean;
    const bool useRef = o.imputation == Imputation::Auto || o.imputation == Imputation::Reference;
    b.x.assign(w.size() * n, 0.0);
    for (std::size_t s = w.first; s < w.end; ++s) {
        const std::size_t k = s - w.first;
        int present = 0, imputed = 0;
        bool incomplete = false;
        for (std::size_t j = 0; j < n; ++j) {
            const int r = rows[j];
            const double v = r >= 0 ? m.values[static_cast<std::size_t>(r) * ns + s] : kMissing;
            double x = 0.0;
            if (!std::isnan(v)) {
                x = v;
                ++present;
            } else if (o.imputation == Imputation::None) {
                incomplete = true;
            } else if (r >= 0 && !std::isnan(rs.mean[r]) && cellMean) {
                x = rs.mean[r];
                ++imputed;
            } else if (useRef && !std::isnan(ref[j])) {
                x = ref[j];
                ++imputed;
            }
            b.x[k * n + j] = x;
        }
        b.result.present[k] = present;
        b.result.imputed[k] = imputed;
        const double cov = n ? static_cast<double>(present) / static_cast<double>(n) : 0.0;
        if (cov < o.minCoverage) {
            b.computable[k] = false;
            b.result.reasons[k] = coverageReason(present, static_cast<int>(n), o.minCoverage);
        } else if (incomplete) {
            b.computable[k] = false;
            b.result.reasons[k] = std::to_string(present) + " of " + std::to_string(n) +
                                  " CpGs present and imputation is off (imputation=none)";
        }
    }
}

void buildZhang(const BetaMatrix& m, const RowStats& rs, const PredictOptions& o, const Window& w, Block& b) {
    const Clock& c = *b.clock;
    const std::size_t ns = m.cols();
    const std::size_t n = c.cpgs.size();
    std::vector<int> rows(n);
    for (std::size_t j = 0; j < n; ++j) rows[j] = m.row(c.cpgs[j]);
    std::optional<SampleMoments> local;
    const SampleMoments* mom = nullptr;
    if (o.zhang == ZhangScaling::AllProbes) {
        if (m.moments) {
            mom = &*m.moments;
        } else {
            BetaMatrix copy;
            copy.samples = m.samples;
            copy.cpgs = m.cpgs;
            copy.values = m.values;
            copy.computeMomentsFromRows();
            local = std::move(copy.moments);
            mom = &*local;
        }
    }
    b.x.assign(w.size() * n, 0.0);
    for (std::size_t s = w.first; s < w.end; ++s) {
        const std::size_t k = s - w.first;
        int present = 0, imputed = 0;
        // Zhang's pred.R: a missing cell takes the CpG's mean over the samples, then z-scores per sample.
        std::vector<double> val(n, kMissing);
        for (std::size_t j = 0; j < n; ++j) {
            const int r = rows[j];
            if (r < 0) continue;
            const double v = m.values[static_cast<std::size_t>(r) * ns + s];
            if (!std::isnan(v)) {
                val[j] = v;
                ++present;
            } else if (!std::isnan(rs.mean[r]) && o.imputation != Imputation::PresentOnly &&
                       o.imputation != Imputation::None) {
                val[j] = rs.mean[r];
                ++imputed;
            }
        }
        double mean, sd;
        if (mom) {
            mean = mom->mean[s];
            sd = mom->sd[s];
        } else {
            double sum = 0, cnt = 0;
            for (double v : val)
                if (!std::isnan(v)) {
                    sum += v;
                    cnt += 1;
                }
            mean = sum / cnt;
            double ss = 0;
            for (double v : val)
                if (!std::isnan(v)) ss += (v - mean) * (v - mean);
            sd = std::sqrt(ss / (cnt - 1));
        }
        for (std::size_t j = 0; j < n; ++j)
            if (!std::isnan(val[j])) b.x[k * n + j] = (val[j] - mean) / sd;
        b.result.present[k] = present;
        b.result.imputed[k] = imputed;
        const double cov = n ? static_cast<double>(present) / static_cast<double>(n) : 0.0;
        if (cov < o.minCoverage) {
            b.computable[k] = false;
            b.result.reasons[k] = coverageReason(present, static_cast<int>(n), o.minCoverage);
        } else if (o.imputation == Imputation::None && present < static_cast<int>(n)) {
            b.computable[k] = false;
            b.result.reasons[k] = std::to_string(present) + " of " + std::to_string(n) +
                                  " CpGs present and imputation is off (imputation=none)";
        } else if (!(sd > 0) || std::isnan(mean)) {
            b.computable[k] = false;
            b.result.reasons[k] = "the sample's betas have no spread; Zhang's standardisation is undefined";
        }
    }
}

/// DunedinPACE as the official PACEProjector (see fixtures B): gold probes, imputation, quantile
/// normalisation to the gold-standard means, then the 173 model weights.
void buildDunedin(const BetaMatrix& m, const ClockLibrary& lib, const PredictOptions& o, const Window& w, Block& b) {
    const Clock& c = *b.clock;
    const std::size_t ns = m.cols();
    const std::size_t n = c.cpgs.size();
    const auto& goldIds = lib.dunedinGoldProbes();
    const auto& goldMeans = lib.dunedinGoldMeans();
    const std::size_t T = goldIds.size();
    b.x.assign(w.size() * n, 0.0);
    // EPIC v2 files: the official package lowers the overlap requirement to 0.7.
    const double thr = m.report.suffixedIds > 0 ? std::min(o.minCoverage, 0.7) : o.minCoverage;
    std::size_t modelIn = 0, goldIn = 0;
    std::vector<int> modelRows(n);
    for (std::size_t j = 0; j < n; ++j) {
        modelRows[j] = m.row(c.cpgs[j]);
        if (modelRows[j] >= 0) ++modelIn;
    }
    std::vector<int> goldRows(T);
    for (std::size_t i = 0; i < T; ++i) {
        goldRows[i] = m.row(goldIds[i]);
        if (goldRows[i] >= 0) ++goldIn;
    }
    for (std::size_t s = w.first; s < w.end; ++s) {
        int present = 0;
        for (std::size_t j = 0; j < n; ++j)
            if (modelRows[j] >= 0 && !std::isnan(m.values[static_cast<std::size_t>(modelRows[j]) * ns + s])) ++present;
        b.result.present[s - w.first] = present;
        b.result.imputed[s - w.first] = static_cast<int>(n) - present;
    }
    const double modelFrac = n ? static_cast<double>(modelIn) / n : 0.0;
    const double goldFrac = T ? static_cast<double>(goldIn) / T : 0.0;
    if (T == 0 || modelFrac < thr || goldFrac < thr) {
        const std::string why = "DunedinPACE needs " + percent(thr) + " of its " + std::to_string(n) +
                                " model probes and " + std::to_string(T) +
                                " background probes: " + std::to_string(modelIn) + " and " + std::to_string(goldIn) +
                                " are in the file";
        for (std::size_t k = 0; k < w.size(); ++k) {
            b.computable[k] = false;
            b.result.reasons[k] = why;
        }
        return;
    }
    // Gold-probe matrix, probe-major; absent probes take the gold mean.
    std::vector<double> g(T * ns);
    for (std::size_t i = 0; i < T; ++i)
        for (std::size_t s = 0; s < ns; ++s)
            g[i * ns + s] = goldRows[i] >= 0 ? m.values[static_cast<std::size_t>(goldRows[i]) * ns + s] : goldMeans[i];
    std::vector<std::size_t> kept;
    for (std::size_t s = 0; s < ns; ++s) {
        std::size_t nonNa = 0;
        for (std::size_t i = 0; i < T; ++i)
            if (!std::isnan(g[i * ns + s])) ++nonNa;
        const double frac = static_cast<double>(nonNa) / T;
        if (frac < thr) {
            if (!w.has(s)) continue;
            b.computable[s - w.first] = false;
            b.result.reasons[s - w.first] = "only " + percent(frac) +
                                            " of the DunedinPACE background probes measured (" + percent(thr) +
                                            " required)";
        } else {
            kept.push_back(s);
        }
    }
    if (kept.empty()) return;
    std::vector<bool> isModel(T, false);
    ProbeIndex goldIndex(goldIds);
    std::vector<int> modelGold(n);
    for (std::size_t j = 0; j < n; ++j) {
        modelGold[j] = goldIndex.find(c.cpgs[j]);
        if (modelGold[j] >= 0) isModel[static_cast<std::size_t>(modelGold[j])] = true;
    }
    // Probes with missing cells: cohort mean when >= thr present, else the row is replaced (see below).
    for (std::size_t i = 0; i < T; ++i) {
        std::size_t have = 0;
        double sum = 0;
        for (std::size_t s : kept) {
            const double v = g[i * ns + s];
            if (!std::isnan(v)) {
                ++have;
                sum += v;
            }
        }
        if (have == kept.size()) continue;
        const double frac = static_cast<double>(have) / kept.size();
        if (frac >= thr && have > 0) {
            const double mean = sum / have;
            for (std::size_t s : kept)
                if (std::isnan(g[i * ns + s])) g[i * ns + s] = mean;
        } else {
            // As PACEProjector: the whole row is replaced by the model mean, which only model probes have
            // (background probes become all-NA and drop out of every sample's normalisation).
            const double fill = isModel[i] ? goldMeans[i] : kMissing;
            for (std::size_t s : kept) g[i * ns + s] = fill;
        }
    }
    std::vector<double> target(goldMeans);
    target.erase(std::remove_if(target.begin(), target.end(), [](double v) { return std::isnan(v); }), target.end());
    std::sort(target.begin(), target.end());
    std::vector<double> col(T);
    for (std::size_t s : kept) {
        if (!w.has(s)) continue;
        const std::size_t k = s - w.first;
        for (std::size_t i = 0; i < T; ++i) col[i] = g[i * ns + s];
        normalizeQuantilesToTarget(col, target);
        for (std::size_t j = 0; j < n; ++j) {
            const double v = modelGold[j] >= 0 ? col[static_cast<std::size_t>(modelGold[j])] : kMissing;
            if (std::isnan(v)) {
                b.computable[k] = false;
                b.result.reasons[k] = "model probe " + c.cpgs[j] + " could not be imputed";
                break;
            }
            b.x[k * n + j] = v;
        }
    }
}

void runEpiToc2(const BetaMatrix& m, const PredictOptions& o, const Window& w, const Clock& c, ClockResult& res) {
    const std::size_t ns = m.cols();
    const std::size_t n = c.cpgs.size();
    std::vector<int> rows(n);
    for (std::size_t j = 0; j < n; ++j) rows[j] = m.row(c.cpgs[j]);
    for (std::size_t s = w.first; s < w.end; ++s) {
        const std::size_t out = s - w.first;
        double sum = 0;
        int k = 0;
        for (std::size_t j = 0; j < n; ++j) {
            if (rows[j] < 0) continue;
            const double v = m.values[static_cast<std::size_t>(rows[j]) * ns + s];
            if (std::isnan(v)) continue;
            sum += (v - c.extraA[j]) / (c.weights[j] * (1.0 - c.extraA[j]));
            ++k;
        }
        res.present[out] = k;
        if (static_cast<double>(k) / n < o.minCoverage || k == 0) {
            res.reasons[out] = coverageReason(k, static_cast<int>(n), o.minCoverage);
            continue;
        }
        res.values[out] = 2.0 * sum / k;
    }
}

void runMiAge(const BetaMatrix& m, const PredictOptions& o, const Window& w, const Clock& c, ClockResult& res) {
    const std::size_t ns = m.cols();
    const std::size_t n = c.cpgs.size();
    std::vector<int> rows(n);
    for (std::size_t j = 0; j < n; ++j) rows[j] = m.row(c.cpgs[j]);
    for (std::size_t s = w.first; s < w.end; ++s) {
        const std::size_t out = s - w.first;
        std::vector<std::size_t> idx;
        std::vector<double> beta;
        for (std::size_t j = 0; j < n; ++j) {
            if (rows[j] < 0) continue;
            const double v = m.values[static_cast<std::size_t>(rows[j]) * ns + s];
            if (std::isnan(v)) continue;
            idx.push_back(j);
            beta.push_back(v);
        }
        res.present[out] = static_cast<int>(idx.size());
        if (static_cast<double>(idx.size()) / n < o.minCoverage || idx.empty()) {
            res.reasons[out] = coverageReason(static_cast<int>(idx.size()), static_cast<int>(n), o.minCoverage);
            continue;
        }
        auto f = [&](double cycles) {
            double acc = 0;
            for (std::size_t k = 0; k < idx.size(); ++k) {
                const std::size_t j = idx[k];
                const double d = c.extraA[j] + std::pow(c.weights[j], cycles - 1.0) * c.extraB[j] - beta[k];
                acc += d * d;
            }
            return acc;
        };
        res.values[out] = fminbound(f, 10.0, 10000.0);
    }
}

/// The device of the clocks' linear part: the requested one where it has float64, else the CPU (`deviceUsed`
/// says which and why).
torch::Device productDevice(const std::string& deviceText, std::string& deviceUsed) {
    torch::Device device(torch::kCPU);
    deviceUsed = "cpu";
    try {
        torch::Device d(deviceText.empty() ? "cpu" : deviceText);
        if (d.is_cuda() && torch::cuda::is_available()) {
            device = d;
            deviceUsed = deviceText;
        } else if (d.is_cuda()) {
            deviceUsed = "cpu (CUDA unavailable)";
        } else if (!d.is_cpu()) {
            deviceUsed = "cpu (" + deviceText + " has no float64; clocks need double precision)";
        }
    } catch (const std::exception&) {
        deviceUsed = "cpu (unknown device '" + deviceText + "')";
    }
    return device;
}

/// Y = X W in double on `device`.
std::vector<double> batchedProduct(const std::vector<double>& x, std::size_t rows, std::size_t inner,
                                   const std::vector<double>& w, std::size_t cols, const torch::Device& device) {
    torch::NoGradGuard noGrad;
    if (rows == 0 || inner == 0 || cols == 0) return std::vector<double>(rows * cols, 0.0);
    auto opts = torch::TensorOptions().dtype(torch::kFloat64);
    torch::Tensor X =
        torch::from_blob(const_cast<double*>(x.data()), {static_cast<long>(rows), static_cast<long>(inner)}, opts);
    torch::Tensor W =
        torch::from_blob(const_cast<double*>(w.data()), {static_cast<long>(inner), static_cast<long>(cols)}, opts);
    torch::Tensor Y = torch::mm(X.to(device), W.to(device)).to(torch::kCPU).contiguous();
    std::vector<double> out(rows * cols);
    std::memcpy(out.data(), Y.data_ptr<double>(), out.size() * sizeof(double));
    return out;
}

}  // namespace

double antiTrafo(double x) {
    return x < 0 ? 21.0 * std::exp(x) - 1.0 : 21.0 * x + 20.0;
}

std::string toString(Imputation i) {
    switch (i) {
        case Imputation::Auto:
            return "auto";
        case Imputation::PresentOnly:
            return "present_only";
        case Imputation::CohortMean:
            return "cohort_mean";
        case Imputation::Reference:
            return "reference";
        case Imputation::None:
            return "none";
    }
    return "";
}

Imputation parseImputation(const std::string& text) {
    std::string t = text;
    for (auto& ch : t) ch = static_cast<char>(ch == '-' ? '_' : std::tolower(static_cast<unsigned char>(ch)));
    if (t.empty() || t == "auto" || t == "default") return Imputation::Auto;
    if (t == "present_only" || t == "present") return Imputation::PresentOnly;
    if (t == "cohort_mean" || t == "mean") return Imputation::CohortMean;
    if (t == "reference" || t == "reference_fill" || t == "pyaging") return Imputation::Reference;
    if (t == "none" || t == "complete" || t == "off") return Imputation::None;
    throw Error("imputation",
                "unknown imputation '" + text + "'; use auto, present_only, cohort_mean, reference or none");
}

const ClockResult* Predictions::find(const std::string& id) const {
    for (const auto& c : clocks)
        if (c.clockId == id) return &c;
    return nullptr;
}

void normalizeQuantilesToTarget(std::vector<double>& column, const std::vector<double>& target) {
    const std::size_t rows = column.size();
    const std::size_t T = target.size();
    if (T == 0) return;
    std::vector<std::pair<double, std::size_t>> d;
    d.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i)
        if (!std::isnan(column[i])) d.emplace_back(column[i], i);
    const std::size_t nonNa = d.size();
    if (nonNa == 0) return;
    std::sort(d.begin(), d.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // ranks, ties averaged (1-based)
    std::vector<double> ranks(nonNa);
    for (std::size_t i = 0; i < nonNa;) {
        std::size_t j = i;
        while (j + 1 < nonNa && d[j].first == d[j + 1].first) ++j;
        const double r = i == j ? static_cast<double>(i + 1) : static_cast<double>(i + j + 2) / 2.0;
        for (std::size_t k = i; k <= j; ++k) ranks[k] = r;
        i = j + 1;
    }
    if (rows == T && nonNa == rows) {
        for (std::size_t i = 0; i < nonNa; ++i) {
            const double r = ranks[i];
            const std::size_t fl = static_cast<std::size_t>(std::floor(r));
            column[d[i].second] = (r - std::floor(r) > 0.4) ? 0.5 * (target[fl - 1] + target[fl]) : target[fl - 1];
        }
        return;
    }
    // Estimated quantiles (preprocessCore's branch for columns with NAs or a target of another length).
    const double eps4 = 4 * DBL_EPSILON;
    for (std::size_t i = 0; i < nonNa; ++i) {
        const double pct = nonNa > 1 ? (ranks[i] - 1.0) / static_cast<double>(nonNa - 1) : 0.0;
        double pos = 1.0 + (static_cast<double>(T) - 1.0) * pct;
        const double posFloor = std::floor(pos + eps4);
        double frac = pos - posFloor;
        if (std::abs(frac) <= eps4) frac = 0.0;
        double v;
        if (frac == 0.0) {
            const long ti = static_cast<long>(std::floor(posFloor + 0.5));
            v = target[static_cast<std::size_t>(ti - 1)];
        } else if (frac == 1.0) {
            const long ti = static_cast<long>(std::floor(posFloor + 1.5));
            v = target[static_cast<std::size_t>(ti - 1)];
        } else {
            const long ti = static_cast<long>(std::floor(posFloor + 0.5));
            if (ti < static_cast<long>(T) && ti > 0)
                v = (1.0 - frac) * target[static_cast<std::size_t>(ti - 1)] +
                    frac * target[static_cast<std::size_t>(ti)];
            else if (ti >= static_cast<long>(T))
                v = target[T - 1];
            else
                v = target[0];
        }
        column[d[i].second] = v;
    }
}

Predictions predictClocks(const BetaMatrix& m, const ClockLibrary& lib, const PredictOptions& o) {
    Predictions out;
    Window w;
    w.first = std::min(o.sampleFirst, m.cols());
    w.end = std::max(w.first, std::min(o.sampleEnd, m.cols()));
    const std::size_t ns = w.size();
    for (std::size_t s = w.first; s < w.end; ++s) out.samples.push_back(m.samples[s].name);
    const RowStats rs = rowStats(m);

    std::vector<Block> blocks;
    std::vector<ClockResult> others;  // non-linear clocks, computed directly
    std::vector<std::size_t> order;   // output order: index into blocks (< 1e6) or others (+1e6)
    std::size_t inner = 0;
    for (const auto& c : lib.clocks()) {
        ClockResult res;
        res.clockId = c.def.id;
        res.required = static_cast<int>(c.cpgs.size());
        res.values.assign(ns, kMissing);
        res.present.assign(ns, 0);
        res.imputed.assign(ns, 0);
        res.reasons.assign(ns, std::string());
        if (c.def.kind == ClockKind::EpiToc2 || c.def.kind == ClockKind::MiAge) {
            res.method = "measured CpGs only";
            if (c.def.kind == ClockKind::EpiToc2)
                runEpiToc2(m, o, w, c, res);
            else
                runMiAge(m, o, w, c, res);
            order.push_back(1000000 + others.size());
            others.push_back(std::move(res));
            continue;
        }
        Block b;
        b.clock = &c;
        b.offset = inner;
        b.result = std::move(res);
        b.computable.assign(ns, true);
        switch (c.def.kind) {
            case ClockKind::DunedinPace:
                b.result.method =
                    "official DunedinPACE: absent background probes -> gold-standard means, partly missing "
                    "probes -> cohort mean, quantile normalisation to the gold-standard means";
                buildDunedin(m, lib, o, w, b);
                break;
            case ClockKind::ZhangEn:
                b.result.method = std::string("missing cells -> cohort mean; z-scores per sample over ") +
                                  (o.zhang == ZhangScaling::AllProbes ? "all probes of the file" : "the clock's CpGs");
                buildZhang(m, rs, o, w, b);
                break;
            default: {
                std::string how;
                switch (o.imputation) {
                    case Imputation::Auto:
                        how = "missing cells -> cohort mean; absent CpGs -> " +
                              (c.def.reference == Reference::None ? std::string("left out (no reference values)")
                                                                  : toString(c.def.reference));
                        break;
                    case Imputation::PresentOnly:
                        how = "missing CpGs left out (contribute 0)";
                        break;
                    case Imputation::CohortMean:
                        how = "missing cells -> cohort mean; absent CpGs left out";
                        break;
                    case Imputation::Reference:
                        how = "missing CpGs -> " + (c.def.reference == Reference::None
                                                        ? std::string("left out (no reference values)")
                                                        : toString(c.def.reference));
                        break;
                    case Imputation::None:
                        how = "no imputation: every CpG required";
                        break;
                }
                b.result.method = how;
                buildLinear(m, rs, lib, o, w, b);
            }
        }
        inner += c.cpgs.size();
        order.push_back(blocks.size());
        blocks.push_back(std::move(b));
    }

    // The linear part. On the CPU each value is its own dot product, summed in CpG order: a sample's value does not
    // depend on the other samples of the batch, so a part of a split job writes exactly a whole run's bytes. On a
    // GPU one batched product, X (samples x all clock CpGs) times block-diagonal W (all clock CpGs x clocks).
    const std::size_t K = blocks.size();
    const torch::Device device = productDevice(o.device, out.device);
    std::vector<double> Y(ns * K, 0.0);
    if (device.is_cpu()) {
        at::parallel_for(0, static_cast<std::int64_t>(ns), 16, [&](std::int64_t begin, std::int64_t end) {
            for (auto s = static_cast<std::size_t>(begin); s < static_cast<std::size_t>(end); ++s)
                for (std::size_t k = 0; k < K; ++k) {
                    const Block& b = blocks[k];
                    const std::size_t n = b.clock->cpgs.size();
                    const double* x = b.x.data() + s * n;
                    double sum = 0;
                    for (std::size_t j = 0; j < n; ++j) sum += x[j] * b.clock->weights[j];
                    Y[s * K + k] = sum;
                }
        });
    } else {
        std::vector<double> X(ns * inner, 0.0), W(inner * K, 0.0);
        for (std::size_t k = 0; k < K; ++k) {
            const Block& b = blocks[k];
            const std::size_t n = b.clock->cpgs.size();
            for (std::size_t s = 0; s < ns; ++s)
                std::copy(b.x.begin() + s * n, b.x.begin() + (s + 1) * n, X.begin() + s * inner + b.offset);
            for (std::size_t j = 0; j < n; ++j) W[(b.offset + j) * K + k] = b.clock->weights[j];
        }
        Y = batchedProduct(X, ns, inner, W, K, device);
    }
    for (std::size_t k = 0; k < K; ++k) {
        Block& b = blocks[k];
        for (std::size_t s = 0; s < ns; ++s)
            if (b.computable[s])
                b.result.values[s] = applyTransform(b.clock->def.transform, b.clock->def.intercept + Y[s * K + k]);
    }
    for (std::size_t i : order) {
        if (i >= 1000000)
            out.clocks.push_back(std::move(others[i - 1000000]));
        else
            out.clocks.push_back(std::move(blocks[i].result));
    }
    return out;
}

}  // namespace benchtop::methyl
