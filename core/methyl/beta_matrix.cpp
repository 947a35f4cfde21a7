// The beta matrix: sexes, per-sample moments, and readBetaMatrix() - format sniffing over a file mapping, a
// gzip stream or text in memory, handing the lines to the delimited or the series-matrix reader.
#include "core/methyl/beta_matrix.h"

#include <filesystem>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "core/common/error.h"
#include "core/common/memory_check.h"
#include "core/methyl/delimited_reader.h"
#include "core/methyl/line_source.h"
#include "core/methyl/series_matrix_reader.h"
#include "core/methyl/text_fields.h"

namespace benchtop::methyl {
namespace {

using namespace text;

/// Sniffs the format at the start of `reader` and reads the matrix.
BetaMatrix readLines(LineReader& reader, const std::string& name, const ReadOptions& opt) {
    LoadReport report;
    std::string_view head = reader.head();
    if (head.size() >= 3 && static_cast<unsigned char>(head[0]) == 0xEF &&
        static_cast<unsigned char>(head[1]) == 0xBB && static_cast<unsigned char>(head[2]) == 0xBF)
        reader.skip(3);
    std::string_view firstLine;
    std::size_t firstNo = 0;
    if (!reader.peekNonBlank(firstLine, firstNo)) throw Error(name, "file is empty");
    head = reader.head();
    const auto byte = [&](std::size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u; };
    if ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF))
        throw Error(name, "is UTF-16 text (as Excel's \"Unicode text\" saves it); save it as CSV UTF-8 and try again");
    if (looksBinary(head))
        throw Error(name, "not a text table (binary data): expected a CSV/TSV beta matrix or a GEO series matrix");
    if (head[0] == '!' || head.substr(0, 1 << 16).find("\n!series_matrix_table_begin") != std::string_view::npos ||
        head.rfind("!series_matrix_table_begin", 0) == 0)
        return readSeriesMatrix(reader, name, opt, report);
    return readDelimitedMatrix(reader, name, opt, report);
}

}  // namespace

std::string toString(Sex sex) {
    switch (sex) {
        case Sex::Female:
            return "F";
        case Sex::Male:
            return "M";
        default:
            return "";
    }
}

Sex parseSex(std::string_view text) {
    const std::string l = lowerAscii(unquote(text));
    if (l == "m" || l == "male" || l == "man") return Sex::Male;
    if (l == "f" || l == "female" || l == "woman") return Sex::Female;
    return Sex::Unknown;
}

void BetaMatrix::computeMomentsFromRows() {
    const std::size_t ns = samples.size();
    SampleMoments mo;
    mo.count.assign(ns, 0);
    mo.mean.assign(ns, 0);
    mo.sd.assign(ns, 0);
    // two passes per sample, as R's scale()
    std::vector<double> rowMean(rows(), kMissing);
    for (std::size_t r = 0; r < rows(); ++r) {
        double s = 0;
        std::size_t c = 0;
        for (std::size_t j = 0; j < ns; ++j)
            if (!std::isnan(at(r, j))) {
                s += at(r, j);
                ++c;
            }
        if (c > 0) rowMean[r] = s / c;
    }
    for (std::size_t j = 0; j < ns; ++j) {
        double s = 0, n = 0;
        for (std::size_t r = 0; r < rows(); ++r) {
            if (std::isnan(rowMean[r])) continue;
            s += std::isnan(at(r, j)) ? rowMean[r] : at(r, j);
            n += 1;
        }
        const double mean = s / n;
        double ss = 0;
        for (std::size_t r = 0; r < rows(); ++r) {
            if (std::isnan(rowMean[r])) continue;
            const double d = (std::isnan(at(r, j)) ? rowMean[r] : at(r, j)) - mean;
            ss += d * d;
        }
        mo.count[j] = n;
        mo.mean[j] = mean;
        mo.sd[j] = n > 1 ? std::sqrt(ss / (n - 1)) : kMissing;
    }
    moments = std::move(mo);
}

BetaMatrix parseBetaMatrix(std::string_view text, const std::string& name, const ReadOptions& opt) {
    TextBlocks source(text);
    LineReader reader(source);
    return readLines(reader, name, opt);
}

BetaMatrix readBetaMatrix(const std::string& path, const ReadOptions& opt) {
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (isGzipFile(path)) {
        // Inflated and parsed a block at a time: memory holds the values (about as much as their text, beta
        // matrices compress ~4-5x) and one block of text.
        if (!ec) requireMemoryFor(path, size * 5, "a beta matrix");
        GzipLineBlocks source(path);
        LineReader reader(source);
        BetaMatrix m;
        try {
            m = readLines(reader, path, opt);
        } catch (const Error&) {
            reader.drain();  // a damaged stream explains a bad row: report the damage
            throw;
        }
        m.report.gzip = true;
        return m;
    }
    // The values (float64) take about as much as their text.
    if (!ec) requireMemoryFor(path, size * 3 / 2, "a beta matrix");
#if !defined(_WIN32)
    // Plain files are mapped: no copy of a 400 MB matrix, pages dropped after parsing.
    if (size > 0) {
        const int fd = ::open(path.c_str(), O_RDONLY);
        if (fd < 0) throw Error(path, "cannot open the file (missing or not readable)");
        void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        ::close(fd);
        if (p == MAP_FAILED) throw Error(path, "cannot map the file into memory");
        ::madvise(p, size, MADV_SEQUENTIAL);
        struct Unmap {
            void* p;
            std::size_t n;
            ~Unmap() { ::munmap(p, n); }
        } guard{p, static_cast<std::size_t>(size)};
        TextBlocks source(std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(size)), true);
        LineReader reader(source);
        return readLines(reader, path, opt);
    }
#endif
    return parseBetaMatrix(readTextFile(path), path, opt);
}

}  // namespace benchtop::methyl
