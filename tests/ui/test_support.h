#pragma once
// Shared by the ui tests: private settings and data folders, and tiny random
// GPT-2 folders made with the Python fixtures.
#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace fabula::ui::test {

// Settings and AppData go under dir, never the tester's own.
inline void isolate(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FabulaTest"));
    QCoreApplication::setApplicationName(QStringLiteral("FabulaTest"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    QSettings().clear();
}

inline bool makeModel(const QString& path, int nPositions = 128) {
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    const QString code = QStringLiteral("import sys; sys.path.insert(0, %1); from model_fixtures import make_model; "
                                        "make_model(%2, n_layer=2, n_head=2, n_embd=32, n_positions=%3)")
                             .arg(QStringLiteral("'" FABULA_TEST_FIXTURES "'"), QLatin1Char('\'') + path + QLatin1Char('\''))
                             .arg(nPositions);
    p.start(QStringLiteral(FABULA_TEST_PYTHON), {QStringLiteral("-c"), code});
    return p.waitForFinished(300000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// A PEFT LoRA adapter for the GPT-2 in base (c_attn, r 4), with B drawn at
// random so it changes what the model writes; voice names it in fabula.json.
inline bool makeAdapter(const QString& base, const QString& out, const QString& voice, int seed) {
    const QString code = QStringLiteral(
        "import sys, json, torch\n"
        "from peft import LoraConfig, get_peft_model\n"
        "from transformers import AutoModelForCausalLM\n"
        "base, out, voice, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])\n"
        "torch.manual_seed(seed)\n"
        "m = get_peft_model(AutoModelForCausalLM.from_pretrained(base), LoraConfig(r=4, lora_alpha=8, "
        "target_modules=['c_attn'], fan_in_fan_out=True, task_type='CAUSAL_LM'))\n"
        "with torch.no_grad():\n"
        "    for n, p in m.named_parameters():\n"
        "        if 'lora_B' in n: p.normal_(0, 1.0)\n"
        "m.save_pretrained(out)\n"
        "if voice: json.dump({'card': {'voice': voice}}, open(out + '/fabula.json', 'w'))\n");
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(QStringLiteral(FABULA_TEST_PYTHON), {QStringLiteral("-c"), code, base, out, voice, QString::number(seed)});
    return p.waitForFinished(300000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace fabula::ui::test
