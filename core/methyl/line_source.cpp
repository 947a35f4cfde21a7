#include "core/methyl/line_source.h"

#include <algorithm>
#include <cstring>
#include <fstream>

#include <zlib.h>

#include "core/common/error.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/text_fields.h"

namespace benchtop::methyl {
namespace {

constexpr unsigned kReadBytes = 1u << 20;

[[noreturn]] void throwCorruptGzip(const std::string& path) {
    throw Error(path,
                "corrupt or truncated gzip file (the compressed stream ends early or is damaged); "
                "download or copy the file again");
}

}  // namespace

bool TextBlocks::next(std::string_view& block) {
    if (m_done || m_text.empty()) return false;
    m_done = true;
    block = m_text;
    return true;
}

GzipLineBlocks::GzipLineBlocks(const std::string& path, std::size_t blockBytes)
    : m_path(path), m_blockBytes(blockBytes) {
    gzFile gz = gzopen(path.c_str(), "rb");
    if (!gz) throw Error(path, "cannot open the file (missing or not readable)");
    gzbuffer(gz, 1u << 17);
    m_gz = gz;
    m_buffer.reserve(m_blockBytes + kReadBytes);
}

GzipLineBlocks::~GzipLineBlocks() {
    if (m_gz) gzclose(static_cast<gzFile>(m_gz));
}

void GzipLineBlocks::readMore() {
    const std::size_t old = m_buffer.size();
    const unsigned want =
        static_cast<unsigned>(std::min<std::size_t>(kReadBytes, std::max<std::size_t>(m_blockBytes, 1)));
    m_buffer.resize(old + want);
    const int n = gzread(static_cast<gzFile>(m_gz), m_buffer.data() + old, want);
    if (n < 0) throwCorruptGzip(m_path);
    m_buffer.resize(old + static_cast<std::size_t>(n));
    if (n == 0) {
        m_eof = true;
        // gzread reports a stream cut short as a plain end of file; gzerror tells (Z_BUF_ERROR).
        int err = Z_OK;
        gzerror(static_cast<gzFile>(m_gz), &err);
        if (err != Z_OK) throwCorruptGzip(m_path);
    }
}

bool GzipLineBlocks::next(std::string_view& block) {
    if (m_eof && m_handedOut == m_buffer.size()) return false;  // the last block stays valid
    m_buffer.erase(0, m_handedOut);                             // keeps the unfinished last line
    m_handedOut = 0;
    while (!m_eof && m_buffer.size() < m_blockBytes) readMore();
    std::size_t cut = m_buffer.size();
    if (!m_eof) {
        std::size_t searched = 0;
        std::size_t nl = m_buffer.rfind('\n');
        while (nl == std::string::npos && !m_eof) {  // a line longer than a block
            searched = m_buffer.size();
            readMore();
            const void* p = std::memchr(m_buffer.data() + searched, '\n', m_buffer.size() - searched);
            if (p) nl = m_buffer.rfind('\n');
        }
        cut = nl == std::string::npos ? m_buffer.size() : nl + 1;
    }
    if (cut == 0) return false;
    m_handedOut = cut;
    block = std::string_view(m_buffer.data(), cut);
    return true;
}

bool isGzipFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open the file (missing or not readable)");
    unsigned char magic[2] = {0, 0};
    in.read(reinterpret_cast<char*>(magic), 2);
    return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

LineReader::LineReader(LineBlockSource& source) : m_source(source) {
    load();
}

bool LineReader::load() {
    std::string_view block;
    if (!m_source.next(block)) return false;
    m_block = block;
    m_pos = 0;
    m_joined = false;
    return true;
}

bool LineReader::nextLine(std::string_view& line) {
    if (m_pos >= m_block.size() && !load()) return false;
    const void* p = std::memchr(m_block.data() + m_pos, '\n', m_block.size() - m_pos);
    const std::size_t end = p ? static_cast<std::size_t>(static_cast<const char*>(p) - m_block.data()) : m_block.size();
    line = m_block.substr(m_pos, end - m_pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    m_pos = p ? end + 1 : m_block.size();
    ++m_lineNo;
    return true;
}

bool LineReader::peekNonBlank(std::string_view& line, std::size_t& lineNo) {
    text::LineCursor cur{m_block, m_pos};
    std::size_t n = m_lineNo;
    while (true) {
        while (cur.next(line)) {
            ++n;
            if (!text::trim(line).empty()) {
                lineNo = n;
                return true;
            }
        }
        // Only blank lines left here: join them with the next block (the lines stay whole).
        std::string_view next;
        if (!m_source.next(next)) return false;
        std::string joined;
        joined.reserve(m_block.size() - m_pos + next.size());
        joined.append(m_block.substr(m_pos)).append(next);
        m_joinBuffer.swap(joined);
        const std::size_t scanned = cur.pos - m_pos;
        m_block = m_joinBuffer;
        m_pos = 0;
        m_joined = true;
        cur = text::LineCursor{m_block, scanned};
    }
}

bool LineReader::nextBlock(std::string_view& block) {
    if (m_pos < m_block.size()) {
        block = m_block.substr(m_pos);
        m_pos = m_block.size();
        return true;
    }
    if (!load()) return false;
    block = m_block;
    m_pos = m_block.size();
    return true;
}

void LineReader::drain() {
    std::string_view block;
    while (nextBlock(block)) {
    }
}

std::string readTextFile(const std::string& path, bool* wasGzip) {
    const bool gz = isGzipFile(path);
    if (wasGzip) *wasGzip = gz;
    if (!gz) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error(path, "cannot open the file (missing or not readable)");
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    GzipLineBlocks source(path);
    std::string out;
    std::string_view block;
    while (source.next(block)) out.append(block);
    return out;
}

}  // namespace benchtop::methyl
