#include "core/prompt_builder.h"

#include <algorithm>
#include <array>
#include <optional>

#include "core/error.h"

// How the prompt is laid out:
//   [memory "\n"] [lore entry "\n"]... [story before the note] [note "\n"] [story after the note]
// A separator "\n" is added after the memory, each lore entry and the note
// unless their text already ends with a newline; it belongs to the part it
// follows. The story is never given a separator: it is the writer's text,
// up to the cursor.
//
// The story's cut points, best first (the levels below):
//   1 a paragraph start: the first character after a blank line (after a
//     single newline when the draft has no blank line anywhere);
//   2 a sentence start (after . ! ? … and closing quotes or brackets, then
//     white space; right after 。！？) or, in a draft with blank lines, a line
//     start;
//   3 a word start (after white space);
//   4 a character boundary, only when a single run without white space is
//     longer than the whole story budget (no word ends inside it).
// Cut points are whole-draft positions, so the story part starts exactly at
// the text after the separator (its leading indentation kept).
//
// Stable cut: the whole draft is encoded once; the end offset of every token
// (from token_bytes) turns a byte position into a token position. The grid
// step is a quarter of the tokens left for the story (the budget less the
// memory, the note and the lore: when the lore changes, the prompt after it
// is recomputed anyway). The grid of a level is the token positions k*step
// from the draft's start, each snapped forward to the next boundary of that
// level or a better one. The cut is the earliest paragraph grid point whose
// text fits (estimated from the token positions; the exact count, the parts
// encoded as the engine gets them, decides, and the next point is tried while
// it overshoots). A paragraph cut that would leave more than half of the room
// empty (paragraphs longer than the room) gives way to the sentence grid
// between it and the paragraph point before it, and so on down to words;
// characters only when no word start fits at all. Everything depends on the
// text before the cut and on the total, so appending text keeps the cut
// until the text after it no longer fits.
// Costs: one encode of the draft (GPT-2: ~100 MB/s), one pass over its bytes
// for the boundaries, and a few encodes of the kept story.

namespace fabula {

std::string to_string(PromptPartKind kind) {
    switch (kind) {
    case PromptPartKind::Memory: return "memory";
    case PromptPartKind::Lore: return "lore";
    case PromptPartKind::Story: return "story";
    case PromptPartKind::AuthorsNote: return "authors_note";
    }
    return "story";
}

namespace {

struct Boundary {
    size_t pos;
    int level; // 1 paragraph, 2 sentence or line, 3 word
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Whether the text before `end` finishes a sentence: . ! ? or … followed by
// any closing quotes and brackets.
bool ends_sentence(std::string_view s, size_t end) {
    size_t i = end;
    while (i > 0) {
        const char c = s[i - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') {
            --i;
        } else if (i >= 3 && s.substr(i - 3, 3) == "\u201D") { // ”
            i -= 3;
        } else if (i >= 3 && s.substr(i - 3, 3) == "\u2019") { // ’
            i -= 3;
        } else if (i >= 2 && s.substr(i - 2, 2) == "\u00BB") { // »
            i -= 2;
        } else {
            break;
        }
    }
    if (i == 0) return false;
    const char c = s[i - 1];
    return c == '.' || c == '!' || c == '?' || (i >= 3 && s.substr(i - 3, 3) == "\u2026");
}

// The full-width sentence ends of Chinese and Japanese, which no space follows,
// and the closing brackets that may follow them.
size_t cjk_sentence_end(std::string_view s, size_t i) {
    static constexpr std::string_view enders[] = {"\u3002", "\uFF01", "\uFF1F"};
    static constexpr std::string_view closers[] = {"\u300D", "\u300F", "\uFF09", "\u201D"};
    bool found = false;
    for (auto e : enders)
        if (s.substr(i, e.size()) == e) {
            i += e.size();
            found = true;
            break;
        }
    if (!found) return 0;
    for (bool more = true; more;) {
        more = false;
        for (auto c : closers)
            if (s.substr(i, c.size()) == c) {
                i += c.size();
                more = true;
            }
    }
    return i;
}

struct StoryBoundaries {
    std::vector<Boundary> list; // ascending positions, none at 0 or at the end
    bool blank_lines = false;
};

StoryBoundaries find_boundaries(std::string_view s) {
    // The bytes that can start a boundary: white space, and the lead bytes
    // of the full-width sentence ends. Everything else is skipped quickly.
    static const auto interesting = [] {
        std::array<bool, 256> t{};
        for (const char c : std::string_view(" \t\r\n\f\v")) t[static_cast<unsigned char>(c)] = true;
        for (int b = 0xE3; b < 0x100; ++b) t[b] = true;
        return t;
    }();
    StoryBoundaries out;
    out.list.reserve(s.size() / 4);
    constexpr int kSingleNewline = 0; // level 1 or 2, known once the whole draft is seen
    for (size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (is_space(c)) {
            size_t j = i, last_nl = std::string_view::npos;
            int newlines = 0;
            while (j < s.size() && is_space(s[j])) {
                if (s[j] == '\n') ++newlines, last_nl = j;
                ++j;
            }
            if (newlines >= 2) out.blank_lines = true;
            if (j < s.size()) {
                if (newlines >= 2)
                    out.list.push_back({last_nl + 1, 1});
                else if (newlines == 1)
                    out.list.push_back({last_nl + 1, kSingleNewline});
                else
                    out.list.push_back({j, ends_sentence(s, i) ? 2 : 3});
            }
            i = j;
            continue;
        }
        if (static_cast<unsigned char>(c) >= 0xE3) {
            if (const size_t e = cjk_sentence_end(s, i); e != 0) {
                if (e < s.size() && !is_space(s[e])) out.list.push_back({e, 2});
                i = e;
                continue;
            }
        }
        ++i;
        while (i < s.size() && !interesting[static_cast<unsigned char>(s[i])]) ++i;
    }
    for (auto& b : out.list)
        if (b.level == kSingleNewline) b.level = out.blank_lines ? 2 : 1;
    return out;
}

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

std::string with_separator(std::string text) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    return text;
}

std::string note_text(const StoryContext& c) {
    if (c.authors_note.empty()) return {};
    std::string t = c.authors_note_template;
    if (const size_t at = t.find("{}"); at != std::string::npos)
        t.replace(at, 2, c.authors_note);
    else
        t += c.authors_note;
    return with_separator(std::move(t));
}

// Token positions of byte offsets in the story, from one encode of it.
class TokenMap {
public:
    TokenMap(const Tokenizer& tok, std::string_view story) {
        const auto ids = tok.encode(story);
        ends_.reserve(ids.size() + 1);
        ends_.push_back(0);
        size_t at = 0;
        for (const int32_t id : ids) ends_.push_back(at += tok.token_bytes(id).size());
        // A tokenizer whose tokens do not spell the text byte for byte (a
        // normalizer, SentencePiece's prefix space) gets its positions scaled.
        scale_ = story.empty() || at == story.size() ? 1.0 : double(at) / double(story.size());
    }
    size_t tokens() const { return ends_.size() - 1; }
    // The tokens that end at or before byte `pos`.
    size_t tokens_before(size_t pos) const {
        const size_t p = scale_ == 1.0 ? pos : size_t(double(pos) * scale_);
        return size_t(std::upper_bound(ends_.begin(), ends_.end(), p) - ends_.begin()) - 1;
    }
    // The byte where token `index` starts (index <= tokens()).
    size_t start_of(size_t index) const {
        const size_t b = ends_[index];
        return scale_ == 1.0 ? b : size_t(double(b) / scale_);
    }

private:
    std::vector<size_t> ends_;
    double scale_ = 1.0;
};

std::vector<int32_t> encode(const Tokenizer& tok, std::string_view text) {
    return text.empty() ? std::vector<int32_t>{} : tok.encode(text);
}

std::string describe_refusal(int memory, int note, int budget) {
    const auto tokens = [](int n) { return std::to_string(n) + (n == 1 ? " token" : " tokens"); };
    const std::string room = " this model has for a prompt";
    if (memory > 0 && note > 0)
        return "The memory (" + tokens(memory) + ") and the author's note (" + tokens(note) +
               ") do not fit in the " + tokens(budget) + room + "; shorten the " +
               (memory >= note ? "memory." : "author's note.");
    if (memory > 0)
        return "The memory (" + tokens(memory) + ") does not fit in the " + tokens(budget) + room +
               "; shorten the memory.";
    return "The author's note (" + tokens(note) + ") does not fit in the " + tokens(budget) + room +
           "; shorten the author's note.";
}

// The last `scan_tokens` tokens of the story, starting at a word start.
std::string_view scan_window(std::string_view story, const TokenMap& map, int scan_tokens) {
    if (scan_tokens <= 0) return {};
    if (size_t(scan_tokens) >= map.tokens()) return story;
    size_t at = std::min(map.start_of(map.tokens() - size_t(scan_tokens)), story.size());
    while (at < story.size() && is_continuation(static_cast<unsigned char>(story[at]))) ++at;
    // A word cut in two by the window is not a word of the window.
    if (at > 0 && at < story.size() && !is_space(story[at - 1]))
        while (at < story.size() && !is_space(story[at])) ++at;
    return story.substr(at);
}

} // namespace

BuiltPrompt build_prompt(const Tokenizer& tok, const PromptRequest& req) {
    if (req.context_length < 1)
        throw UsageError("The model's context length must be at least 1 token (got " +
                         std::to_string(req.context_length) + ").");
    static const StoryContext kNone;
    const StoryContext& ctx = req.context ? *req.context : kNone;
    const std::string_view story = req.story;

    BuiltPrompt out;
    out.budget = req.context_length - std::min(std::max(req.max_new_tokens, 0), req.context_length / 2);
    const std::optional<int32_t> bos = tok.adds_bos() ? tok.bos_id() : std::nullopt;
    const int bos_tokens = bos ? 1 : 0;

    // Pinned parts.
    const std::string memory_text = with_separator(ctx.memory);
    const std::string note = note_text(ctx);
    auto memory_ids = encode(tok, memory_text);
    const auto note_ids = encode(tok, note);
    const int memory_count = int(memory_ids.size()) + (memory_ids.empty() ? 0 : bos_tokens);
    if (bos_tokens + int(memory_ids.size()) + int(note_ids.size()) > out.budget)
        throw UsageError(describe_refusal(memory_count, int(note_ids.size()),
                                          memory_ids.empty() ? out.budget - bos_tokens : out.budget));
    out.pinned_tokens = int(memory_ids.size() + note_ids.size());
    int left = out.budget - bos_tokens - out.pinned_tokens;

    const TokenMap map(tok, story);

    // Lore.
    struct LorePart {
        std::string name, text;
        std::vector<int32_t> ids;
    };
    std::vector<LorePart> lore;
    if (!ctx.lore.empty()) {
        const LoreScanner scanner(scan_window(story, map, ctx.lore_scan_tokens));
        std::vector<char> fired(ctx.lore.size(), 0);
        std::string activated_text;
        for (size_t i = 0; i < ctx.lore.size(); ++i)
            if (scanner.fires(ctx.lore[i])) {
                fired[i] = 1;
                activated_text += ctx.lore[i].content;
                activated_text += '\n';
            }
        if (ctx.lore_recursive && !activated_text.empty()) {
            const LoreScanner second(activated_text);
            for (size_t i = 0; i < ctx.lore.size(); ++i)
                if (!fired[i] && second.fires(ctx.lore[i])) fired[i] = 2;
        }
        std::vector<size_t> order;
        for (size_t i = 0; i < ctx.lore.size(); ++i)
            if (fired[i] && !ctx.lore[i].content.empty()) order.push_back(i);
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return ctx.lore[a].order > ctx.lore[b].order; });
        int lore_left = std::min(ctx.lore_budget > 0 ? ctx.lore_budget : out.budget / 4, left);
        for (const size_t i : order) {
            LorePart part{lore_entry_display_name(ctx.lore[i]), with_separator(ctx.lore[i].content), {}};
            part.ids = encode(tok, part.text);
            if (int(part.ids.size()) <= lore_left) {
                lore_left -= int(part.ids.size());
                out.lore_tokens += int(part.ids.size());
                out.lore_fired.push_back(part.name);
                lore.push_back(std::move(part));
            } else {
                out.lore_dropped.push_back(part.name);
            }
        }
        left -= out.lore_tokens;
    }

    // Story.
    const StoryBoundaries bounds = find_boundaries(story);
    size_t note_pos = story.size();
    if (!note.empty() && ctx.authors_note_depth > 0) {
        int seen = 0;
        note_pos = 0;
        for (auto it = bounds.list.rbegin(); it != bounds.list.rend(); ++it)
            if (it->level == 1 && ++seen == ctx.authors_note_depth) {
                note_pos = it->pos;
                break;
            }
        // Trailing blank lines make no boundary: the paragraphs counted are
        // the ones with text.
    }
    const auto exact = [&](size_t cut) {
        const size_t split = std::max(cut, note_pos);
        return encode(tok, story.substr(cut, split - cut)).size() + encode(tok, story.substr(split)).size();
    };
    const size_t avail = size_t(std::max(left, 0));
    size_t cut = story.size();
    if (!story.empty() && avail > 0) {
        const size_t total = map.tokens();
        const size_t step = std::max<size_t>(1, avail / 4);
        const auto remainder = [&](size_t pos) { return total - map.tokens_before(pos); };
        const auto char_start = [&](size_t pos) {
            while (pos < story.size() && is_continuation(static_cast<unsigned char>(story[pos]))) ++pos;
            return pos;
        };
        // The grid of a level: the token positions k * step from the draft's
        // start, each snapped forward to the next boundary of that level or
        // a better one (duplicates dropped), those after `after`.
        const auto grid_of = [&](int level, std::optional<size_t> after) {
            std::vector<size_t> g;
            if (!after) g.push_back(0);
            size_t next = step;
            if (level <= 3) {
                for (const auto& b : bounds.list) {
                    if (b.level > level) continue;
                    const size_t tp = map.tokens_before(b.pos);
                    if (tp < next) continue;
                    next = (tp / step + 1) * step;
                    if (!after || b.pos > *after) g.push_back(b.pos);
                }
            } else {
                for (size_t k = step; k < total; k += step) {
                    const size_t pos = char_start(std::min(map.start_of(k), story.size()));
                    if (pos < story.size() && (!after || pos > *after) && (g.empty() || pos > g.back()))
                        g.push_back(pos);
                }
            }
            return g;
        };
        struct Fit {
            size_t pos, tokens;
        };
        std::optional<Fit> best; // the fullest cut that fits so far
        std::optional<size_t> after;
        for (int level = 1; level <= 4; ++level) {
            if (level == 4 && best) break; // mid-word only when no word start fits
            const auto g = grid_of(level, after);
            size_t i = 0;
            while (i < g.size() && remainder(g[i]) > avail) ++i;
            std::optional<Fit> fit;
            for (; i < g.size() && !fit; ++i)
                if (const size_t n = exact(g[i]); n <= avail) fit = Fit{g[i], n};
            if (!fit) {
                if (!g.empty()) after = g.back();
                continue;
            }
            --i;
            if (!best || fit->tokens > best->tokens) best = fit;
            // A cut of this level that leaves half the room empty gives way
            // to a finer one between it and the grid point before it.
            if (fit->pos == 0 || 2 * fit->tokens >= avail) break;
            if (i > 0) after = g[i - 1];
        }
        if (best) {
            cut = best->pos;
        } else {
            // A story budget of a few tokens: the earliest character that fits.
            std::vector<size_t> cand;
            for (size_t i = after.value_or(0) + 1; i < story.size(); ++i)
                if (!is_continuation(static_cast<unsigned char>(story[i]))) cand.push_back(i);
            if (!cand.empty() && exact(cand.back()) <= avail) {
                size_t lo = 0, hi = cand.size() - 1;
                while (lo < hi) {
                    const size_t mid = (lo + hi) / 2;
                    if (exact(cand[mid]) <= avail)
                        hi = mid;
                    else
                        lo = mid + 1;
                }
                cut = cand[lo];
            }
        }
    }
    out.story_cut = cut;
    const size_t split = std::max(cut, note_pos);

    // Parts in prompt order; BOS goes first into whichever part comes first.
    auto add = [&](PromptPartKind kind, std::vector<int32_t> ids, std::string key) {
        if (ids.empty()) return;
        if (out.parts.empty() && bos) ids.insert(ids.begin(), *bos);
        PromptPart part{kind, std::move(ids), {}, std::move(key)};
        part.text = tok.decode(part.ids);
        out.ids.insert(out.ids.end(), part.ids.begin(), part.ids.end());
        out.parts.push_back(std::move(part));
    };
    add(PromptPartKind::Memory, std::move(memory_ids), {});
    for (auto& l : lore) add(PromptPartKind::Lore, std::move(l.ids), l.name);
    auto before = encode(tok, story.substr(cut, split - cut));
    auto after = encode(tok, story.substr(split));
    out.story_tokens = int(before.size() + after.size());
    add(PromptPartKind::Story, std::move(before), {});
    add(PromptPartKind::AuthorsNote, note_ids, {});
    add(PromptPartKind::Story, std::move(after), {});
    if (out.parts.empty()) {
        // Nothing to say: GPT-2 starts a text from its end-of-text token (the
        // document separator it was trained with), a Llama from BOS.
        std::vector<int32_t> start;
        if (bos)
            start.push_back(*bos);
        else if (tok.end_of_text_id() >= 0)
            start.push_back(tok.end_of_text_id());
        if (!start.empty()) {
            PromptPart part{PromptPartKind::Story, start, tok.decode(start), {}};
            out.ids = start;
            out.parts.push_back(std::move(part));
            out.story_tokens = 1;
        }
        return out;
    }
    if (bos) {
        switch (out.parts.front().kind) {
        case PromptPartKind::Memory:
        case PromptPartKind::AuthorsNote: ++out.pinned_tokens; break;
        case PromptPartKind::Lore: ++out.lore_tokens; break;
        case PromptPartKind::Story: ++out.story_tokens; break;
        }
    }
    return out;
}

} // namespace fabula
