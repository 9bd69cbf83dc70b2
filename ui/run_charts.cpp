#include "ui/run_charts.h"

#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace fabula::ui {

namespace {
QChartView* lineChart(const QString& title, QLineSeries* series, QValueAxis* x, QValueAxis* y, const QString& yTitle) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->hide();
    chart->addSeries(series);
    x->setTitleText(RunCharts::tr("step"));
    x->setLabelFormat(QStringLiteral("%d"));
    x->setRange(0, 1);
    y->setTitleText(yTitle);
    y->setRange(0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(170);
    return view;
}
} // namespace

RunCharts::RunCharts(QWidget* parent) : QWidget(parent) {
    loss_ = new QLineSeries;
    loss_->setName(tr("loss"));
    perplexity_ = new QLineSeries;
    perplexity_->setName(tr("validation perplexity"));
    perplexity_->setPointsVisible(true);
    lossX_ = new QValueAxis;
    lossY_ = new QValueAxis;
    pplX_ = new QValueAxis;
    pplY_ = new QValueAxis;
    auto* lossView = lineChart(tr("Training loss"), loss_, lossX_, lossY_, tr("loss"));
    lossView->setObjectName(QStringLiteral("lossChart"));
    lossView->setAccessibleName(tr("Training loss"));
    auto* pplView = lineChart(tr("Validation perplexity"), perplexity_, pplX_, pplY_, tr("perplexity"));
    pplView->setObjectName(QStringLiteral("perplexityChart"));
    pplView->setAccessibleName(tr("Validation perplexity"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(lossView);
    layout->addWidget(pplView);
}

void RunCharts::clear() {
    loss_->clear();
    perplexity_->clear();
    maxStep_ = 1;
    maxLoss_ = minLoss_ = maxPpl_ = minPpl_ = 0;
    for (QValueAxis* a : {lossX_, lossY_, pplX_, pplY_}) a->setRange(0, 1);
}

void RunCharts::widenSteps(qint64 upTo) {
    if (upTo <= maxStep_) return;
    maxStep_ = upTo;
    lossX_->setRange(0, double(maxStep_));
    pplX_->setRange(0, double(maxStep_));
}

void RunCharts::fitLoss() {
    // Around the curve rather than from 0: a fine-tune moves the loss by tenths.
    const double pad = std::max(0.05, (maxLoss_ - minLoss_) * 0.1);
    lossY_->setRange(std::max(0.0, minLoss_ - pad), maxLoss_ + pad);
}

void RunCharts::fitPerplexity() {
    const double pad = std::max(0.5, (maxPpl_ - minPpl_) * 0.1);
    pplY_->setRange(std::max(0.0, minPpl_ - pad), maxPpl_ + pad);
}

void RunCharts::addStep(qint64 step, double loss, qint64 totalSteps) {
    loss_->append(double(step), loss);
    maxLoss_ = std::max(maxLoss_, loss);
    minLoss_ = loss_->count() == 1 ? loss : std::min(minLoss_, loss);
    widenSteps(std::max(totalSteps, step));
    fitLoss();
}

void RunCharts::addEval(qint64 step, double perplexity) {
    perplexity_->append(double(step), perplexity);
    maxPpl_ = std::max(maxPpl_, perplexity);
    minPpl_ = perplexity_->count() == 1 ? perplexity : std::min(minPpl_, perplexity);
    widenSteps(step);
    fitPerplexity();
}

void RunCharts::setCurves(const QList<QPointF>& loss, const QList<QPointF>& perplexity, qint64 totalSteps) {
    clear();
    loss_->replace(loss);
    perplexity_->replace(perplexity);
    qint64 last = totalSteps;
    if (!loss.isEmpty()) minLoss_ = loss.first().y();
    if (!perplexity.isEmpty()) minPpl_ = perplexity.first().y();
    for (const QPointF& p : loss) {
        maxLoss_ = std::max(maxLoss_, p.y());
        minLoss_ = std::min(minLoss_, p.y());
        last = std::max(last, qint64(p.x()));
    }
    for (const QPointF& p : perplexity) {
        maxPpl_ = std::max(maxPpl_, p.y());
        minPpl_ = std::min(minPpl_, p.y());
        last = std::max(last, qint64(p.x()));
    }
    widenSteps(last);
    if (!loss.isEmpty()) fitLoss();
    if (!perplexity.isEmpty()) fitPerplexity();
}

} // namespace fabula::ui
