#include "ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>

namespace fabula::ui {

void applyTheme(Theme theme) {
    static const QPalette system = QApplication::palette();
    QPalette p = system;
    if (theme == Theme::Light) {
        p = QApplication::style()->standardPalette();
    } else if (theme == Theme::Dark) {
        const QColor window(0x2b, 0x2b, 0x2e), base(0x1f, 0x1f, 0x22), text(0xe6, 0xe4, 0xdf);
        p = QPalette(text, window, window.lighter(130), window.darker(130), window.darker(110), text, text, base, window);
        p.setColor(QPalette::Highlight, QColor(0x4a, 0x6f, 0xa5));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8a, 0x85));
        p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x77, 0x77, 0x77));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x77, 0x77, 0x77));
    }
    QApplication::setPalette(p);
}

} // namespace fabula::ui
