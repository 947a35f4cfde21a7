#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace benchtop {

/// `text` with ASCII letters lower-cased (other bytes, including UTF-8 sequences, unchanged).
std::string toLowerAscii(std::string text);

/// `text` without leading and trailing spaces, tabs, carriage returns and newlines.
std::string trimWhitespace(std::string_view text);

/// Whether `text` ends with `suffix`, ignoring ASCII case (".CSV" ends with ".csv").
bool endsWithNoCase(std::string_view text, std::string_view suffix);

/// The whole file as bytes; throws benchtop::Error naming `path` when it cannot be read.
std::string readWholeFile(const std::string& path);

/// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line break.
std::string csvField(std::string_view text);

/// "a, b,,c " -> {"a", "b", "c"}: a comma list with items trimmed of spaces and tabs and empty items dropped.
std::vector<std::string> splitCommaList(const std::string& text);

}  // namespace benchtop
