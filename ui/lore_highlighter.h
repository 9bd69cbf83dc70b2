#pragma once
// Marks the words of the draft that are lorebook keys, so the writer sees
// which entries the next Continue will bring in. The patterns follow
// lore_key_matches (core/lorebook.h): whole words with Unicode boundaries,
// case ignored unless the entry says otherwise, "/…/" keys as regular
// expressions. They are compiled once per lorebook, so a block costs one
// scan per key.
#ifndef Q_MOC_RUN
#include "core/lorebook.h"
#endif

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <vector>

namespace fabula::ui {

class LoreHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit LoreHighlighter(QTextDocument* document);

    // The entries of the draft's prompt (its own and its series'); disabled
    // ones are not marked. Rehighlights only when the keys changed.
    void setEntries(const std::vector<LoreEntry>& entries);
    int patternCount() const { return int(patterns_.size()); }
    QTextCharFormat keyFormat() const { return format_; }

    // The pattern a key becomes; invalid for a broken "/…/" key (which the
    // builder refuses with a message of its own).
    static QRegularExpression patternFor(const std::string& key, bool caseSensitive);

protected:
    void highlightBlock(const QString& text) override;

private:
    std::vector<QRegularExpression> patterns_;
    QStringList signature_; // what patterns_ were made from
    QTextCharFormat format_;
};

} // namespace fabula::ui
