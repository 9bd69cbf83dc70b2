#include "ui/lore_highlighter.h"

namespace fabula::ui {

LoreHighlighter::LoreHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
    // An underline rather than a colour: it reads in both themes and leaves
    // the prose's own colour alone.
    format_.setUnderlineStyle(QTextCharFormat::DotLine);
    format_.setUnderlineColor(QColor(0x2e, 0x86, 0xc1));
    format_.setFontUnderline(true);
}

QRegularExpression LoreHighlighter::patternFor(const std::string& key, bool caseSensitive) {
    const QString k = QString::fromStdString(key);
    QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
    QString pattern;
    if (lore_key_is_regex(key)) {
        // As the builder reads it: only the i and s flags change the match,
        // and the entry's case setting does not apply.
        const qsizetype close = k.lastIndexOf(QLatin1Char('/'));
        const QString flags = k.mid(close + 1);
        pattern = k.mid(1, close - 1);
        if (flags.contains(QLatin1Char('i'))) options |= QRegularExpression::CaseInsensitiveOption;
        if (flags.contains(QLatin1Char('s'))) options |= QRegularExpression::DotMatchesEverythingOption;
    } else {
        if (k.isEmpty()) return QRegularExpression(QStringLiteral("("));
        // Not inside a longer word: letters, digits, marks and '_' either side end the match.
        pattern = QStringLiteral("(?<![\\p{L}\\p{N}\\p{M}_])") + QRegularExpression::escape(k) +
                  QStringLiteral("(?![\\p{L}\\p{N}\\p{M}_])");
        if (!caseSensitive) options |= QRegularExpression::CaseInsensitiveOption;
    }
    QRegularExpression re(pattern, options);
    re.optimize();
    return re;
}

void LoreHighlighter::setEntries(const std::vector<LoreEntry>& entries) {
    QStringList signature;
    for (const auto& e : entries) {
        if (!e.enabled) continue;
        for (const auto* list : {&e.keys, &e.secondary_keys})
            for (const auto& k : *list)
                signature << (e.case_sensitive ? QStringLiteral("C") : QStringLiteral("i")) + QString::fromStdString(k);
    }
    signature.removeDuplicates();
    if (signature == signature_) return;
    signature_ = signature;
    patterns_.clear();
    for (const QString& s : signature_) {
        QRegularExpression re = patternFor(s.mid(1).toStdString(), s.startsWith(QLatin1Char('C')));
        if (re.isValid()) patterns_.push_back(std::move(re));
    }
    rehighlight();
}

void LoreHighlighter::highlightBlock(const QString& text) {
    for (const auto& re : patterns_) {
        auto it = re.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            if (m.capturedLength() > 0) setFormat(int(m.capturedStart()), int(m.capturedLength()), format_);
        }
    }
}

} // namespace fabula::ui
