// Per-clock semantics - how each clock computes (kind, output transform, imputation reference) - joined with
// its facts from the model catalog compiled into Benchtop (builtin_catalog.h): table path, full-precision
// intercept, output, tissue, usage flag and citation. resources/catalog/catalog.json is the one source of
// those facts; this table says only what the catalog's free-text fields cannot.
#include <charconv>

#include "core/common/error.h"
#include "core/hub/catalog.h"
#include "core/methyl/builtin_catalog.h"
#include "core/methyl/clock_library.h"

namespace benchtop::methyl {
namespace {

struct ClockSemantics {
    const char* id;  ///< the catalog entry's name (its id is the lower-case form)
    ClockKind kind;
    Transform transform;
    Reference reference;
};

/// Every clock Benchtop ships, in display order.
const std::vector<ClockSemantics>& clockSemantics() {
    using K = ClockKind;
    using T = Transform;
    using R = Reference;
    static const std::vector<ClockSemantics> kClocks = {
        {"Horvath2013", K::Linear, T::AntiTrafo, R::Goldstandard2},
        {"Hannum2013", K::Linear, T::Identity, R::None},
        {"PhenoAge2018", K::Linear, T::Identity, R::None},
        {"HorvathSkinBlood2018", K::Linear, T::AntiTrafo, R::None},
        {"Lin2016", K::Linear, T::Identity, R::None},
        {"ZhangEN2019", K::ZhangEn, T::Identity, R::None},
        {"DNAmTL2019", K::Linear, T::Identity, R::None},
        {"PedBE2019", K::Linear, T::AntiTrafo, R::None},
        {"DunedinPACE", K::DunedinPace, T::Identity, R::DunedinGoldMeans},
        {"DunedinPoAm38", K::Linear, T::Identity, R::None},
        {"CorticalClock2020", K::Linear, T::AntiTrafo, R::None},
        {"HRSInCHPhenoAge", K::Linear, T::Identity, R::None},
        {"Knight2016", K::Linear, T::Identity, R::Goldstandard2},
        {"LeeControl", K::Linear, T::Identity, R::None},
        {"LeeRobust", K::Linear, T::Identity, R::None},
        {"LeeRefinedRobust", K::Linear, T::Identity, R::None},
        {"Mayne2017", K::Linear, T::Identity, R::None},
        {"Bohlin2016", K::Linear, T::Identity, R::None},
        {"YingCausAge", K::Linear, T::Identity, R::None},
        {"YingDamAge", K::Linear, T::Identity, R::None},
        {"YingAdaptAge", K::Linear, T::Identity, R::None},
        {"StocH", K::Linear, T::Identity, R::None},
        {"StocP", K::Linear, T::Identity, R::None},
        {"StocZ", K::Linear, T::Identity, R::None},
        {"ZhangMortality2017", K::Linear, T::Identity, R::None},
        {"VidalBralo2016", K::Linear, T::Identity, R::None},
        {"Weidner2014", K::Linear, T::Identity, R::None},
        {"Garagnani2012", K::Linear, T::Identity, R::None},
        {"Bocklandt2011", K::Linear, T::Identity, R::None},
        {"EpiTOC1", K::Linear, T::Identity, R::None},
        {"McCartneyAlcohol", K::Linear, T::Identity, R::None},
        {"McCartneySmoking", K::Linear, T::Identity, R::None},
        {"McCartneyBMI", K::Linear, T::Sigmoid, R::None},
        {"McCartneyEducation", K::Linear, T::Sigmoid, R::None},
        {"McCartneyTotalCholesterol", K::Linear, T::Sigmoid, R::None},
        {"McCartneyHDL", K::Linear, T::Sigmoid, R::None},
        {"McCartneyLDL", K::Linear, T::Sigmoid, R::None},
        {"McCartneyBodyFat", K::Linear, T::Sigmoid, R::None},
        {"ReedBMI2020", K::Linear, T::Identity, R::None},
        {"DownSyndrome", K::Linear, T::Identity, R::None},
        {"AD_BahadoSingh", K::Linear, T::Sigmoid, R::None},
        {"CVD_Westerman", K::Linear, T::Sigmoid, R::None},
        {"DepressionBarbu", K::Linear, T::Identity, R::None},
        {"HepatoXu", K::Linear, T::Identity, R::None},
        {"ProstateCancerKirby", K::Linear, T::Identity, R::None},
        {"EpiTOC2", K::EpiToc2, T::Identity, R::None},
        {"MiAge", K::MiAge, T::Identity, R::None},
    };
    return kClocks;
}

std::string detail(const hub::CatalogEntry& entry, const char* key) {
    const auto it = entry.extra.find(key);
    return it == entry.extra.end() ? std::string() : it->second;
}

std::vector<ClockDefinition> definitionsFromCatalog() {
    const std::string origin = "resources/catalog/catalog.json (built in)";
    const hub::Catalog catalog = hub::Catalog::parse(std::string(builtinCatalogJson()), origin);
    std::vector<ClockDefinition> out;
    for (const ClockSemantics& c : clockSemantics()) {
        const hub::CatalogEntry* e = catalog.find(c.id);
        if (!e || e->family != hub::ModelFamily::Clock)
            throw Error(origin, std::string("no clock entry for ") + c.id +
                                    " (Benchtop was built from a catalog "
                                    "that lacks it)");
        ClockDefinition d;
        d.id = c.id;
        d.file = hub::clockTablePath(*e);
        d.kind = c.kind;
        d.transform = c.transform;
        d.reference = c.reference;
        // The catalog writes numbers with every digit (shortest round trip); null = no intercept (EpiTOC2, MiAge).
        const std::string intercept = detail(*e, "intercept");
        if (!intercept.empty()) {
            const auto r = std::from_chars(intercept.data(), intercept.data() + intercept.size(), d.intercept);
            if (r.ec != std::errc() || r.ptr != intercept.data() + intercept.size())
                throw Error(origin, std::string("clock ") + c.id + ": intercept '" + intercept + "' is not a number");
        }
        d.output = detail(*e, "output");
        d.tissue = detail(*e, "tissue");
        d.usageFlag = detail(*e, "usage_flag");
        if (d.usageFlag == "none stated") d.usageFlag.clear();
        d.citation = e->citation;
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

const std::vector<ClockDefinition>& clockDefinitions() {
    static const std::vector<ClockDefinition> kDefinitions = definitionsFromCatalog();
    return kDefinitions;
}

}  // namespace benchtop::methyl
