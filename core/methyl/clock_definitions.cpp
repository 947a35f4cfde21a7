// Per-clock metadata: id, coefficient file (relative to the clocks folder), full-precision intercept,
// output transform, imputation reference, usage flag and citation. Source: clocks/CLOCKS.md and
// clocks_manifest.csv (biolearn 180852e2 tables, intercepts from the original publications).
#include "core/methyl/clock_library.h"

namespace benchtop::methyl {

const std::vector<ClockDefinition>& clockDefinitions() {
    using K = ClockKind;
    using T = Transform;
    using R = Reference;
    static const std::vector<ClockDefinition> kDefinitions = {
        {"Horvath2013", "biolearn/Horvath1.csv", K::Linear, 0.695507258, T::AntiTrafo, R::Goldstandard2,
         "DNAm age, years", "multi-tissue", "",
         "Horvath S. DNA methylation age of human tissues and cell types. Genome Biol 2013;14:R115. "
         "doi:10.1186/gb-2013-14-10-r115"},
        {"Hannum2013", "biolearn/Hannum.csv", K::Linear, 0, T::Identity, R::None, "DNAm age, years", "blood", "",
         "Hannum G et al. Genome-wide methylation profiles reveal quantitative views of human aging rates. Mol Cell "
         "2013;49(2):359-367. doi:10.1016/j.molcel.2012.10.016"},
        {"PhenoAge2018", "biolearn/PhenoAge.csv", K::Linear, 60.664, T::Identity, R::None, "phenotypic DNAm age, years",
         "blood", "biolearn: commercial use -> Clock Foundation / UCLA TDG licensing (CLOCK_FOUNDATION_USAGE)",
         "Levine ME et al. An epigenetic biomarker of aging for lifespan and healthspan. Aging (Albany NY) "
         "2018;10(4):573-591. doi:10.18632/aging.101414"},
        {"HorvathSkinBlood2018", "biolearn/Horvath2.csv", K::Linear, -0.447119319, T::AntiTrafo, R::None,
         "DNAm age, years", "skin, blood, buccal, fibroblasts",
         "biolearn: commercial use -> Clock Foundation / UCLA TDG licensing (CLOCK_FOUNDATION_USAGE)",
         "Horvath S et al. Epigenetic clock for skin and blood cells applied to Hutchinson Gilford Progeria Syndrome "
         "and ex vivo studies. Aging (Albany NY) 2018;10(7):1758-1775. doi:10.18632/aging.101508"},
        {"Lin2016", "biolearn/Lin.csv", K::Linear, 12.2169841, T::Identity, R::None, "DNAm age, years", "blood", "",
         "Lin Q et al. DNA methylation levels at individual age-associated CpG sites can be indicative for life "
         "expectancy. Aging (Albany NY) 2016;8(2):394-401. doi:10.18632/aging.100908"},
        {"ZhangEN2019", "biolearn/Zhang2019.csv", K::ZhangEn, 65.79295, T::Identity, R::None, "DNAm age, years",
         "blood, saliva (trained on blood)", "biolearn BSD-3 file; original repo has no licence",
         "Zhang Q et al. Improved precision of epigenetic clock estimates across tissues and its implication for "
         "biological ageing. Genome Med 2019;11:54. doi:10.1186/s13073-019-0667-1"},
        {"DNAmTL2019", "biolearn/DNAmTL.csv", K::Linear, 7.924780053, T::Identity, R::None, "telomere length, kb",
         "blood, adipose", "biolearn: commercial use -> Clock Foundation / UCLA TDG licensing (CLOCK_FOUNDATION_USAGE)",
         "Lu AT et al. DNA methylation-based estimator of telomere length. Aging (Albany NY) 2019;11(16):5895-5923. "
         "doi:10.18632/aging.102173"},
        {"PedBE2019", "biolearn/PEDBE.csv", K::Linear, -2.09734933574694, T::AntiTrafo, R::None, "DNAm age, years",
         "buccal (pediatric)", "",
         "McEwen LM et al. The PedBE clock accurately estimates DNA methylation age in pediatric buccal cells. PNAS "
         "2020;117(38):23329-23335 (online 2019). doi:10.1073/pnas.1820843116"},
        {"DunedinPACE", "biolearn/DunedinPACE.csv", K::DunedinPace, -1.9498585554021499, T::Identity,
         R::DunedinGoldMeans, "years of biological aging per calendar year", "blood",
         "official package: GPL-3 + 'for research users only, not commercial use; commercial users contact "
         "TruDiagnostic'; pyaging: research_only. biolearn states no restriction",
         "Belsky DW et al. DunedinPACE, a DNA methylation biomarker of the pace of aging. eLife 2022;11:e73420. "
         "doi:10.7554/eLife.73420"},
        {"DunedinPoAm38", "biolearn/DunedinPoAm38.csv", K::Linear, -0.06929805, T::Identity, R::None,
         "years of biological aging per calendar year", "blood",
         "same group as DunedinPACE (check licence before commercial use)",
         "Belsky DW et al. Quantification of the pace of biological aging in humans through a blood test, the "
         "DunedinPoAm DNA methylation algorithm. eLife 2020;9:e54870. doi:10.7554/eLife.54870"},
        {"CorticalClock2020", "biolearn/DNAmClockCortical.csv", K::Linear, 0.577682570446177, T::AntiTrafo, R::None,
         "DNAm age, years", "cortex", "",
         "Shireby GL et al. Recalibrating the epigenetic clock: implications for assessing biological age in the human "
         "cortex. Brain 2020;143(12):3763-3775. doi:10.1093/brain/awaa334"},
        {"HRSInCHPhenoAge", "biolearn/HRSInCHPhenoAge.csv", K::Linear, 52.8334080, T::Identity, R::None,
         "DNAm age, years", "blood", "not flagged by biolearn; PhenoAge-derived (check)",
         "Higgins-Chen AT et al. A computational solution for bolstering reliability of epigenetic clocks. Nat Aging "
         "2022;2:644-661. doi:10.1038/s43587-022-00248-2"},
        {"Knight2016", "biolearn/Knight.csv", K::Linear, 41.725797590, T::Identity, R::Goldstandard2,
         "gestational age, weeks", "cord blood", "",
         "Knight AK et al. An epigenetic clock for gestational age at birth based on blood methylation data. Genome "
         "Biol 2016;17:206. doi:10.1186/s13059-016-1068-z"},
        {"LeeControl", "biolearn/LeeControl.csv", K::Linear, 13.0618205, T::Identity, R::None, "gestational age, weeks",
         "placenta", "",
         "Lee Y et al. Placental epigenetic clocks: estimating gestational age using placental DNA methylation levels. "
         "Aging (Albany NY) 2019;11(12):4238-4253. doi:10.18632/aging.102049"},
        {"LeeRobust", "biolearn/LeeRobust.csv", K::Linear, 24.99772133, T::Identity, R::None, "gestational age, weeks",
         "placenta", "",
         "Lee Y et al. Placental epigenetic clocks: estimating gestational age using placental DNA methylation levels. "
         "Aging (Albany NY) 2019;11(12):4238-4253. doi:10.18632/aging.102049"},
        {"LeeRefinedRobust", "biolearn/LeeRefinedRobust.csv", K::Linear, 30.74966212, T::Identity, R::None,
         "gestational age, weeks", "placenta", "",
         "Lee Y et al. Placental epigenetic clocks: estimating gestational age using placental DNA methylation levels. "
         "Aging (Albany NY) 2019;11(12):4238-4253. doi:10.18632/aging.102049"},
        {"Mayne2017", "biolearn/Mayne.csv", K::Linear, 24.99026439, T::Identity, R::None, "gestational age, weeks",
         "placenta", "",
         "Mayne BT et al. Accelerated placental aging in early onset preeclampsia pregnancies identified by DNA "
         "methylation. Epigenomics 2017;9(3):279-289. doi:10.2217/epi-2016-0103"},
        {"Bohlin2016", "biolearn/Bohlin.csv", K::Linear, 277.2421, T::Identity, R::None, "gestational age, DAYS",
         "cord blood", "",
         "Bohlin J et al. Prediction of gestational age based on genome-wide differentially methylated regions. Genome "
         "Biol 2016;17:207. doi:10.1186/s13059-016-1063-4"},
        {"YingCausAge", "biolearn/YingCausAge.csv", K::Linear, 86.80816381, T::Identity, R::None, "DNAm age, years",
         "blood", "",
         "Ying K et al. Causality-enriched epigenetic age uncouples damage and adaptation. Nat Aging 2024;4:231-246. "
         "doi:10.1038/s43587-023-00557-0 (biolearn cites bioRxiv 10.1101/2022.10.07.511382)"},
        {"YingDamAge", "biolearn/YingDamAge.csv", K::Linear, 543.4315887, T::Identity, R::None, "DNAm age, years",
         "blood", "",
         "Ying K et al. Causality-enriched epigenetic age uncouples damage and adaptation. Nat Aging 2024;4:231-246. "
         "doi:10.1038/s43587-023-00557-0 (biolearn cites bioRxiv 10.1101/2022.10.07.511382)"},
        {"YingAdaptAge", "biolearn/YingAdaptAge.csv", K::Linear, -511.9742762, T::Identity, R::None, "DNAm age, years",
         "blood", "",
         "Ying K et al. Causality-enriched epigenetic age uncouples damage and adaptation. Nat Aging 2024;4:231-246. "
         "doi:10.1038/s43587-023-00557-0 (biolearn cites bioRxiv 10.1101/2022.10.07.511382)"},
        {"StocH", "biolearn/StocH.csv", K::Linear, 59.8015666314217, T::Identity, R::None,
         "age, years (StocZ: biolearn labels 'Mortality Risk')", "multi-tissue / blood", "",
         "Tong H et al. Quantifying the stochastic component of epigenetic aging. Nat Aging 2024;4:886-901. "
         "doi:10.1038/s43587-024-00600-8"},
        {"StocP", "biolearn/StocP.csv", K::Linear, 92.8310813279039, T::Identity, R::None,
         "age, years (StocZ: biolearn labels 'Mortality Risk')", "multi-tissue / blood", "",
         "Tong H et al. Quantifying the stochastic component of epigenetic aging. Nat Aging 2024;4:886-901. "
         "doi:10.1038/s43587-024-00600-8"},
        {"StocZ", "biolearn/StocZ.csv", K::Linear, 64.8077188694894, T::Identity, R::None,
         "age, years (StocZ: biolearn labels 'Mortality Risk')", "multi-tissue / blood", "",
         "Tong H et al. Quantifying the stochastic component of epigenetic aging. Nat Aging 2024;4:886-901. "
         "doi:10.1038/s43587-024-00600-8"},
        {"ZhangMortality2017", "biolearn/Zhang_10.csv", K::Linear, 0, T::Identity, R::None, "mortality risk score",
         "blood", "",
         "Zhang Y et al. DNA methylation signatures in peripheral blood strongly predict all-cause mortality. Nat "
         "Commun 2017;8:14617. doi:10.1038/ncomms14617"},
        {"VidalBralo2016", "biolearn/VidalBralo.csv", K::Linear, 84.7, T::Identity, R::None, "age, years", "blood", "",
         "Vidal-Bralo L et al. Simplified assay for epigenetic age estimation in whole blood of adults. Front Genet "
         "2016;7:126. doi:10.3389/fgene.2016.00126"},
        {"Weidner2014", "biolearn/Weidner.csv", K::Linear, 38.0, T::Identity, R::None, "age, years", "blood", "",
         "Weidner CI et al. Aging of blood can be tracked by DNA methylation changes at just three CpG sites. Genome "
         "Biol 2014;15:R24. doi:10.1186/gb-2014-15-2-r24"},
        {"Garagnani2012", "biolearn/Garagnani.csv", K::Linear, 0, T::Identity, R::None,
         "beta of ELOVL2 CpG (not years)", "blood", "",
         "Garagnani P et al. Methylation of ELOVL2 gene as a new epigenetic marker of age. Aging Cell "
         "2012;11(6):1132-1134. doi:10.1111/acel.12005"},
        {"Bocklandt2011", "biolearn/Bocklandt.csv", K::Linear, 0, T::Identity, R::None, "beta of one CpG (not years)",
         "saliva", "",
         "Bocklandt S et al. Epigenetic predictor of age. PLoS One 2011;6(6):e14821. doi:10.1371/journal.pone.0014821"},
        {"EpiTOC1", "biolearn/EpiTOC1.csv", K::Linear, 0, T::Identity, R::None, "mitotic score", "blood / multi", "",
         "Yang Z et al. Correlation of an epigenetic mitotic clock with cancer risk. Genome Biol 2016;17:205. "
         "doi:10.1186/s13059-016-1064-3"},
        {"McCartneyAlcohol", "biolearn/Alcohol.csv", K::Linear, 0, T::Identity, R::None, "trait score", "blood", "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"McCartneySmoking", "biolearn/Smoking.csv", K::Linear, 0, T::Identity, R::None, "trait score", "blood", "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"McCartneyBMI", "biolearn/BMI_McCartney.csv", K::Linear, 0, T::Sigmoid, R::None, "trait score", "blood", "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"McCartneyEducation", "biolearn/EducationMcCartney.csv", K::Linear, 0, T::Sigmoid, R::None, "trait score",
         "blood", "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"McCartneyTotalCholesterol", "biolearn/TotalCholesterolMcCartney.csv", K::Linear, 0, T::Sigmoid, R::None,
         "trait score", "blood", "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"McCartneyHDL", "biolearn/HDLCholesterolMcCartney.csv", K::Linear, 0, T::Sigmoid, R::None, "trait score",
         "blood", "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"McCartneyLDL", "biolearn/LDLCholesterolMcCartney.csv", K::Linear, 0, T::Sigmoid, R::None, "trait score",
         "blood", "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"McCartneyBodyFat", "biolearn/BodyFatMcCartney.csv", K::Linear, 0, T::Sigmoid, R::None, "trait score", "blood",
         "",
         "McCartney DL et al. Epigenetic prediction of complex traits and death. Genome Biol 2018;19:136. "
         "doi:10.1186/s13059-018-1514-1"},
        {"ReedBMI2020", "biolearn/BMI_Reed.csv", K::Linear, 0, T::Identity, R::None, "BMI score", "blood", "",
         "Reed ZE et al. Clin Epigenetics 2020;12:50. doi:10.1186/s13148-020-00841-5"},
        {"DownSyndrome", "biolearn/down_syndrome.csv", K::Linear, 0, T::Identity, R::None, "Down syndrome score",
         "blood", "", "biolearn source: doi:10.1038/s41467-021-21064-z"},
        {"AD_BahadoSingh", "biolearn/AD_Bahado-Singh.csv", K::Linear, 0.072, T::Sigmoid, R::None,
         "Alzheimer's disease probability", "blood", "",
         "Bahado-Singh RO et al. PLoS One 2021;16(3):e0248375. doi:10.1371/journal.pone.0248375"},
        {"CVD_Westerman", "biolearn/CVD_Westermann.csv", K::Linear, 0, T::Sigmoid, R::None,
         "coronary heart disease probability", "blood", "",
         "Westerman K et al. J Am Heart Assoc 2020;9:e015299. doi:10.1161/JAHA.119.015299"},
        {"DepressionBarbu", "biolearn/DepressionBarbu.csv", K::Linear, 12.2169841, T::Identity, R::None,
         "depression score", "blood", "",
         "Barbu MC et al. Epigenetic prediction of major depressive disorder. Mol Psychiatry 2021. "
         "doi:10.1038/s41380-020-0808-3"},
        {"HepatoXu", "biolearn/HepatoXu.csv", K::Linear, 15.595, T::Identity, R::None, "HCC status score",
         "circulating (cell-free) DNA", "", "Xu RH et al. Nat Mater 2017;16:1155-1161. doi:10.1038/nmat4997"},
        {"ProstateCancerKirby", "biolearn/ProstateCancerKirby.csv", K::Linear, 6.524, T::Identity, R::None,
         "prostate cancer status score", "prostate", "",
         "Kirby MK et al. BMC Cancer 2017;17:273. doi:10.1186/s12885-017-3252-2"},
        {"EpiTOC2", "biolearn/EpiTOC2.csv", K::EpiToc2, 0, T::Identity, R::None, "cumulative stem-cell divisions",
         "multi", "",
         "Teschendorff AE. A comparison of epigenetic mitotic-like clocks for cancer risk prediction. Genome Med "
         "2020;12:56. doi:10.1186/s13073-020-00752-3"},
        {"MiAge", "biolearn/MiAge.csv", K::MiAge, 0, T::Identity, R::None, "mitotic age (cell divisions)", "multi", "",
         "Youn A, Wang S. The MiAge Calculator. Epigenetics 2018;13(2):192-206. doi:10.1080/15592294.2017.1389361"},
    };
    return kDefinitions;
}

}  // namespace benchtop::methyl
