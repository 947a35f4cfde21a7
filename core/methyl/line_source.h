#pragma once
// Text read front to back in blocks of whole lines, so the beta-matrix readers parse a gzip file as it
// inflates instead of holding the whole text in memory. Internal to core/methyl.

#include <cstddef>
#include <string>
#include <string_view>

namespace benchtop::methyl {

/// A text as successive blocks of whole lines.
class LineBlockSource {
public:
    virtual ~LineBlockSource() = default;
    /// The next block: whole lines, each ending in '\n' except possibly the text's last one. Valid until the
    /// next call. False at the end. Throws benchtop::Error naming the file when the text cannot be read.
    virtual bool next(std::string_view& block) = 0;
    /// True when the last block is a view of a read-only file mapping (readers may drop pages they have parsed).
    virtual bool isFileMapping() const { return false; }
};

/// Text already in memory, or a file mapping: one block.
class TextBlocks : public LineBlockSource {
public:
    explicit TextBlocks(std::string_view text, bool fileMapping = false) : m_text(text), m_mapping(fileMapping) {}
    bool next(std::string_view& block) override;
    bool isFileMapping() const override { return m_mapping; }

private:
    std::string_view m_text;
    bool m_mapping = false;
    bool m_done = false;
};

/// A gzip file (concatenated members too) inflated with zlib's gzread into a buffer of about `blockBytes`,
/// cut after its last complete line. Corrupt or truncated streams throw when they are reached.
class GzipLineBlocks : public LineBlockSource {
public:
    static constexpr std::size_t kDefaultBlockBytes = 16u << 20;
    explicit GzipLineBlocks(const std::string& path, std::size_t blockBytes = kDefaultBlockBytes);
    ~GzipLineBlocks() override;
    GzipLineBlocks(const GzipLineBlocks&) = delete;
    GzipLineBlocks& operator=(const GzipLineBlocks&) = delete;
    bool next(std::string_view& block) override;

private:
    void readMore();
    std::string m_path;
    void* m_gz = nullptr;  // gzFile, kept out of the header
    std::string m_buffer;
    std::size_t m_blockBytes;
    std::size_t m_handedOut = 0;  // bytes of m_buffer returned by the last next()
    bool m_eof = false;
};

/// True when the file starts with the gzip magic bytes. Throws when it cannot be opened.
bool isGzipFile(const std::string& path);

/// Lines (with 1-based numbers) and then blocks of a LineBlockSource: the readers take the header line by
/// line and the body block by block.
class LineReader {
public:
    explicit LineReader(LineBlockSource& source);
    /// The next line without its '\n' / '\r'; lineNo() is then its number. False at the end (`line` keeps the
    /// last line returned).
    bool nextLine(std::string_view& line);
    std::size_t lineNo() const { return m_lineNo; }
    /// The first non-blank line not yet read and its number, without taking it (the rest of the current block
    /// is joined with the next one when it holds only blank lines). False when there is none.
    bool peekNonBlank(std::string_view& line, std::size_t& lineNo);
    /// The unread rest of the current block (the start of the text before anything is read: format sniffing).
    std::string_view head() const { return m_block.substr(m_pos); }
    /// Skips `bytes` of the current block (a byte-order mark).
    void skip(std::size_t bytes) { m_pos += bytes; }
    /// The rest of the text in blocks of whole lines, from the line after the last nextLine(). Lines taken this
    /// way are not counted by lineNo().
    bool nextBlock(std::string_view& block);
    /// Whether the last block returned is a view of a read-only file mapping.
    bool blockIsFileMapping() const { return !m_joined && m_source.isFileMapping(); }
    /// Reads to the end: the source checks its integrity on the way (a damaged gzip stream throws).
    void drain();

private:
    bool load();
    LineBlockSource& m_source;
    std::string_view m_block;
    std::size_t m_pos = 0;
    std::size_t m_lineNo = 0;
    std::string m_joinBuffer;
    bool m_joined = false;
};

}  // namespace benchtop::methyl
