#include "ui/continuation_text.h"

#include "ui/engine_types.h"

namespace fabula::ui {

namespace {

bool is_closer(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

} // namespace

std::string trim_to_boundary(const std::string& text, EndAt mode) {
    if (mode == EndAt::Anywhere) return text;
    if (mode == EndAt::Paragraph) {
        const auto at = text.rfind('\n');
        // A break at the very start only separates the suggestion from the
        // draft; it does not end a paragraph of the suggestion.
        if (at == std::string::npos || text.find_first_not_of(" \n\r\t") > at) return text;
        auto end = at;
        while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
        return text.substr(0, end);
    }
    std::size_t best = std::string::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '.' && c != '!' && c != '?') continue;
        std::size_t end = i + 1;
        while (end < text.size() && (is_closer(text[end]) || text[end] == '.' || text[end] == '!' || text[end] == '?'))
            ++end;
        if (end == text.size() || is_space(text[end])) best = end;
    }
    return best == std::string::npos ? text : text.substr(0, best);
}

} // namespace fabula::ui
