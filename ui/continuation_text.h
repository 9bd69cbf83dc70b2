#pragma once
// Cutting a continuation at a sentence or paragraph boundary. Qt-free so the
// engine thread and the tests use the same rule.
#include <string>

namespace fabula::ui {

enum class EndAt;

// The longest prefix of text ending at the last paragraph break (EndAt::
// Paragraph) or after the last . ! ? (with closing quotes/brackets) followed by
// whitespace or the end (EndAt::Sentence). When there is no such boundary the
// text is kept whole rather than showing nothing.
std::string trim_to_boundary(const std::string& text, EndAt mode);

} // namespace fabula::ui
