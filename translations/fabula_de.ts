<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="71"/>
        <source>%1: cannot create the folder</source>
        <translation>%1: Der Ordner kann nicht angelegt werden</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="77"/>
        <source>%1: cannot be read, skipped</source>
        <translation>%1: kann nicht gelesen werden, übersprungen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="91"/>
        <source>%1: a .jsonl or .csv file can only be used on its own, skipped</source>
        <translation>%1: Eine .jsonl- oder .csv-Datei kann nur allein verwendet werden, übersprungen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="93"/>
        <source>%1: not a .txt, .md, .jsonl or .csv file, skipped</source>
        <translation>%1: keine .txt-, .md-, .jsonl- oder .csv-Datei, übersprungen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="99"/>
        <source>%1: cannot be written (%2), skipped</source>
        <translation>%1: kann nicht geschrieben werden (%2), übersprungen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="101"/>
        <source>the draft “%1”</source>
        <translation>der Entwurf „%1“</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="101"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="52"/>
        <source>%1B parameters</source>
        <translation>%1 Mrd. Parameter</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="53"/>
        <source>%1M parameters</source>
        <translation>%1 Mio. Parameter</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="54"/>
        <source>%1K parameters</source>
        <translation>%1 Tsd. Parameter</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="65"/>
        <source>%1: cannot be copied to %2</source>
        <translation>%1: kann nicht nach %2 kopiert werden</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="64"/>
        <source>This voice names no base model and fits none of the models in the list.</source>
        <translation>Diese Stimme nennt kein Basismodell und passt zu keinem der Modelle in der Liste.</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="66"/>
        <source>This voice was made for %1, which is not in the model list: add that model first, then choose the voice under it.</source>
        <translation>Diese Stimme wurde für %1 gemacht, das nicht in der Modellliste steht: Fügen Sie zuerst dieses Modell hinzu und wählen Sie dann die Stimme darunter.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AbDialog</name>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="28"/>
        <source>Blind A/B test</source>
        <translation>Blinder A/B-Test</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="32"/>
        <source>First:</source>
        <translation>Erster:</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="32"/>
        <source>Second:</source>
        <translation>Zweiter:</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="36"/>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="45"/>
        <source>Both write from the same place in your draft with the same seed; you see them as A and B in a random order, and learn which was which after you pick.</source>
        <translation>Beide schreiben von derselben Stelle in Ihrem Entwurf aus mit demselben Startwert; Sie sehen sie als A und B in zufälliger Reihenfolge und erfahren erst nach Ihrer Wahl, welcher welcher war.</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="50"/>
        <source>Continue</source>
        <translation>Weiterschreiben</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="55"/>
        <location filename="../ui/ab_dialog.cpp" line="93"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="55"/>
        <location filename="../ui/ab_dialog.cpp" line="94"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="64"/>
        <source>Pick A</source>
        <translation>A wählen</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="64"/>
        <source>Pick B</source>
        <translation>B wählen</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="64"/>
        <location filename="../ui/ab_dialog.cpp" line="78"/>
        <source>Neither</source>
        <translation>Keiner</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>Pairing</source>
        <translation>Paarung</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>Picks</source>
        <translation>Wahlen</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>First wins</source>
        <translation>Erster gewinnt</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>95 % interval</source>
        <translation>95-%-Intervall</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="81"/>
        <source>Comparison (&quot;neither&quot; is not counted in the win rates)</source>
        <translation>Vergleich („Keiner“ zählt nicht zu den Gewinnquoten)</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="103"/>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="104"/>
        <source>B: %1</source>
        <translation>B: %1</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="117"/>
        <source>the model</source>
        <translation>das Modell</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="121"/>
        <source>%1 alone</source>
        <translation>%1 allein</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="136"/>
        <source>%1, temperature %2</source>
        <translation>%1, Temperatur %2</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="161"/>
        <source>%1 vs %2</source>
        <translation>%1 gegen %2</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="163"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="163"/>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="164"/>
        <source>%1 to %2 %</source>
        <translation>%1 bis %2 %</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="170"/>
        <source>The picks could not be read. %1</source>
        <translation>Die Wahlen konnten nicht gelesen werden. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AbTest</name>
    <message>
        <location filename="../ui/ab_test.cpp" line="36"/>
        <source>Both continuations are still being written.</source>
        <translation>Beide Fortsetzungen werden noch geschrieben.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="40"/>
        <source>The model is still loading.</source>
        <translation>Das Modell wird noch geladen.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="40"/>
        <source>Load a model first.</source>
        <translation>Laden Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="44"/>
        <source>Open or create a draft first.</source>
        <translation>Öffnen oder erstellen Sie zuerst einen Entwurf.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="48"/>
        <source>Choose two different arms to compare.</source>
        <translation>Wählen Sie zwei verschiedene Varianten zum Vergleichen.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="52"/>
        <source>Accept or reject the suggestion in the draft first.</source>
        <translation>Übernehmen oder verwerfen Sie zuerst den Vorschlag im Entwurf.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="122"/>
        <source>The voice of &quot;%1&quot; could not be put on the model, so this round compares nothing.</source>
        <translation>Die Stimme „%1“ konnte nicht auf das Modell gelegt werden, daher vergleicht diese Runde nichts.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="126"/>
        <source>The model could not continue: %1</source>
        <translation>Das Modell konnte nicht fortsetzen: %1</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="129"/>
        <source>One of the two wrote nothing to compare. Press Continue again.</source>
        <translation>Einer der beiden hat nichts zum Vergleichen geschrieben. Drücken Sie erneut „Weiterschreiben“.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="183"/>
        <source>The pick is kept, but nothing was inserted: the text before the cursor is no longer what both continued, or a suggestion is showing.</source>
        <translation>Die Wahl ist gespeichert, aber es wurde nichts eingefügt: Der Text vor dem Cursor ist nicht mehr der, den beide fortgesetzt haben, oder ein Vorschlag wird angezeigt.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="202"/>
        <source>The pick was not saved. %1</source>
        <translation>Die Wahl wurde nicht gespeichert. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AboutDialog</name>
    <message>
        <location filename="../ui/about_dialog.cpp" line="35"/>
        <source>About Fabula</source>
        <translation>Über Fabula</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="38"/>
        <source>this program</source>
        <translation>dieses Programm</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="39"/>
        <location filename="../ui/about_dialog.cpp" line="40"/>
        <source>bundled</source>
        <translation>mitgeliefert</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="41"/>
        <location filename="../ui/about_dialog.cpp" line="42"/>
        <location filename="../ui/about_dialog.cpp" line="43"/>
        <location filename="../ui/about_dialog.cpp" line="44"/>
        <location filename="../ui/about_dialog.cpp" line="45"/>
        <source>system</source>
        <translation>vom System</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="46"/>
        <location filename="../ui/about_dialog.cpp" line="47"/>
        <source>built in</source>
        <translation>eingebaut</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="51"/>
        <source>A writing assistant that continues your story with a language model on your computer.</source>
        <translation>Ein Schreibassistent, der Ihre Geschichte mit einem Sprachmodell auf Ihrem Computer fortsetzt.</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="61"/>
        <source>The full license texts are in %1.</source>
        <translation>Die vollständigen Lizenztexte stehen in %1.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AppSettings</name>
    <message>
        <location filename="../ui/app_settings.cpp" line="26"/>
        <source>Faithful</source>
        <translation>Treu</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="27"/>
        <source>Balanced</source>
        <translation>Ausgewogen</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="28"/>
        <source>Wild</source>
        <translation>Wild</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="29"/>
        <source>Custom</source>
        <translation>Eigene</translation>
    </message>
</context>
<context>
    <name>fabula::ui::CliJob</name>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="43"/>
        <source>Could not start %1: %2</source>
        <translation>%1 konnte nicht gestartet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="57"/>
        <source>it crashed</source>
        <translation>es ist abgestürzt</translation>
    </message>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="57"/>
        <source>it exited with code %1</source>
        <translation>es wurde mit Code %1 beendet</translation>
    </message>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="66"/>
        <source>fabula-cli printed no result (%1)</source>
        <translation>fabula-cli hat kein Ergebnis ausgegeben (%1)</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ContextPreviewWorker</name>
    <message>
        <location filename="../ui/context_preview_worker.cpp" line="71"/>
        <source>Load a model to see its context.</source>
        <translation>Laden Sie ein Modell, um seinen Kontext zu sehen.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ContextViewer</name>
    <message>
        <location filename="../ui/context_viewer.cpp" line="43"/>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="44"/>
        <source>Prompt budget used</source>
        <translation>Genutzter Platz der Eingabe</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="45"/>
        <source>%v of %m tokens</source>
        <translation>%v von %m Token</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="46"/>
        <source>Parts of the prompt</source>
        <translation>Teile der Eingabe</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="47"/>
        <source>Part</source>
        <translation>Teil</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="47"/>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="47"/>
        <source>Words</source>
        <translation>Wörter</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="48"/>
        <source>Text the model will see</source>
        <translation>Text, den das Modell sehen wird</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="68"/>
        <source>Memory</source>
        <translation>Gedächtnis</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="69"/>
        <source>Lore</source>
        <translation>Lore-Einträge</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="70"/>
        <source>Author&apos;s note</source>
        <translation>Autorennotiz</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="71"/>
        <source>Story</source>
        <translation>Geschichte</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="87"/>
        <location filename="../ui/context_viewer.cpp" line="91"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DashboardPage</name>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="23"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="24"/>
        <source>You can keep writing meanwhile; closing this window does not stop the training.</source>
        <translation>Sie können währenddessen weiterschreiben; das Schließen dieses Fensters beendet das Training nicht.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="26"/>
        <source>Perplexity says how surprised the model is by stories it has not trained on: lower means it predicts your writing better.</source>
        <translation>Die Perplexität sagt, wie überrascht das Modell von Geschichten ist, auf denen es nicht trainiert hat: Je niedriger, desto besser sagt es Ihr Schreiben voraus.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="29"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="38"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="40"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="42"/>
        <source>&amp;Cancel training…</source>
        <translation>Training &amp;abbrechen…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/wizard/dashboard_page.cpp" line="73"/>
        <source>Training on %1 (%2, %n threads).</source>
        <translation>
            <numerusform>Training auf %1 (%2, %n Thread).</numerusform>
            <numerusform>Training auf %1 (%2, %n Threads).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="74"/>
        <source>step 0 of %1</source>
        <translation>Schritt 0 von %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="81"/>
        <source>took %1</source>
        <translation>Dauer: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="82"/>
        <source>Done: the new model is ready. Next compares it with the base model.</source>
        <translation>Fertig: Das neue Modell ist bereit. „Weiter“ vergleicht es mit dem Basismodell.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="83"/>
        <source>Training of “%1” has finished.</source>
        <translation>Das Training von „%1“ ist abgeschlossen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="87"/>
        <source>Stopped at step %1. Resume continues from the last checkpoint.</source>
        <translation>Bei Schritt %1 angehalten. „Fortsetzen“ macht beim letzten Zwischenstand weiter.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="90"/>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="91"/>
        <source>Training of “%1” failed.</source>
        <translation>Das Training von „%1“ ist fehlgeschlagen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="149"/>
        <source>step %1 of %2 · epoch %3</source>
        <translation>Schritt %1 von %2 · Epoche %3</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="150"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="152"/>
        <source>%1 elapsed, %2 to go</source>
        <translation>%1 vergangen, noch %2</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="163"/>
        <source>Pausing after this step (saving a checkpoint)…</source>
        <translation>Pause nach diesem Schritt (Zwischenstand wird gespeichert)…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="164"/>
        <source>Paused. Resume continues exactly where it stopped.</source>
        <translation>Pausiert. „Fortsetzen“ macht genau dort weiter, wo es aufgehört hat.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="169"/>
        <source>Cancel training</source>
        <translation>Training abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="170"/>
        <source>Stop training “%1”? You can keep the run to resume it later, or delete it.</source>
        <translation>Training von „%1“ beenden? Sie können den Lauf behalten, um ihn später fortzusetzen, oder ihn löschen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="172"/>
        <source>Stop and &amp;keep the run</source>
        <translation>Beenden und Lauf &amp;behalten</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="173"/>
        <source>Stop and &amp;delete the run</source>
        <translation>Beenden und Lauf &amp;löschen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="174"/>
        <source>&amp;Go on training</source>
        <translation>&amp;Weiter trainieren</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="202"/>
        <location filename="../ui/wizard/dashboard_page.cpp" line="221"/>
        <source>The run was deleted.</source>
        <translation>Der Lauf wurde gelöscht.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="230"/>
        <source>Fabula</source>
        <translation>Fabula</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DocumentManager</name>
    <message>
        <location filename="../ui/document_manager.cpp" line="107"/>
        <source>Your text is safe in this window and will be saved as soon as writing works again.</source>
        <translation>Ihr Text ist in diesem Fenster sicher und wird gespeichert, sobald das Schreiben wieder möglich ist.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DownloadDialog</name>
    <message>
        <location filename="../ui/download_dialog.cpp" line="23"/>
        <source>Download a model</source>
        <translation>Ein Modell herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="27"/>
        <source>&lt;p&gt;These are base models: they continue the text you give them, in its voice. Chat and instruct models (their names end in “Instruct” or “Chat”) were trained to answer requests, so they write differently, often as an assistant replying rather than as your story going on.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Dies sind Basismodelle: Sie setzen den Text fort, den Sie ihnen geben, in seinem Ton. Chat- und Instruct-Modelle (ihre Namen enden auf „Instruct“ oder „Chat“) wurden darauf trainiert, Anfragen zu beantworten; sie schreiben daher anders, oft wie ein Assistent, der antwortet, statt Ihre Geschichte fortzusetzen.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="37"/>
        <source>Models to download</source>
        <translation>Modelle zum Herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="47"/>
        <location filename="../ui/download_dialog.cpp" line="50"/>
        <source>Another repository on the hub</source>
        <translation>Ein anderes Repository auf dem Hub</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="52"/>
        <source>owner/name</source>
        <translation>besitzer/name</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="53"/>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="56"/>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="58"/>
        <source>&amp;Repository:</source>
        <translation>&amp;Repository:</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="59"/>
        <source>Re&amp;vision:</source>
        <translation>Re&amp;vision:</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="60"/>
        <source>Only repositories with safetensors weights can be used.</source>
        <translation>Nur Repositorys mit Gewichten im safetensors-Format sind verwendbar.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="65"/>
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="66"/>
        <source>only for gated or private models</source>
        <translation>nur für zugangsbeschränkte oder private Modelle</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="68"/>
        <source>Access &amp;token:</source>
        <translation>Zugriffs&amp;token:</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="74"/>
        <source>The files come from %1.</source>
        <translation>Die Dateien kommen von %1.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="76"/>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="78"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="103"/>
        <source>%1 of %2 (%3)</source>
        <translation>%1 von %2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="112"/>
        <source>The download failed: %1</source>
        <translation>Der Download ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="116"/>
        <source>Cancelled. The next download resumes where this one stopped.</source>
        <translation>Abgebrochen. Der nächste Download setzt dort fort, wo dieser aufgehört hat.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/download_dialog.cpp" line="142"/>
        <source>%1: %n file(s), %2.</source>
        <translation>
            <numerusform>%1: %n Datei, %2.</numerusform>
            <numerusform>%1: %n Dateien, %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="144"/>
        <source>License: %1.</source>
        <translation>Lizenz: %1.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="145"/>
        <source>Gated: the hub checks your token.</source>
        <translation>Zugangsbeschränkt: Der Hub prüft Ihr Token.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="159"/>
        <source>Asking the hub for %1…</source>
        <translation>Frage den Hub nach %1…</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftEditor</name>
    <message>
        <location filename="../ui/editor.cpp" line="10"/>
        <location filename="../ui/editor.cpp" line="102"/>
        <source>Draft text</source>
        <translation>Entwurfstext</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftFiles</name>
    <message>
        <location filename="../ui/draft_files.cpp" line="42"/>
        <location filename="../ui/draft_files.cpp" line="46"/>
        <location filename="../ui/draft_files.cpp" line="49"/>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="55"/>
        <location filename="../ui/draft_files.cpp" line="103"/>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="65"/>
        <source>%1 looks like a binary file, not text; nothing was imported.</source>
        <translation>%1 sieht wie eine Binärdatei aus, nicht wie Text; es wurde nichts importiert.</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="67"/>
        <source>%1 is not UTF-8 text; save it as UTF-8 and import it again. Nothing was imported.</source>
        <translation>%1 ist kein UTF-8-Text; speichern Sie die Datei als UTF-8 und importieren Sie sie erneut. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="86"/>
        <source>%1 already exists and is not a Fabula story file, so it was left as it is: the draft&apos;s memory, author&apos;s note and lorebook were not written beside the draft. Move or rename that file and export again to keep them with it.</source>
        <translation>%1 gibt es bereits, und sie ist keine Fabula-Geschichtsdatei; sie bleibt daher, wie sie ist: Gedächtnis, Autorennotiz und Lorebook des Entwurfs wurden nicht daneben geschrieben. Verschieben oder benennen Sie diese Datei um und exportieren Sie erneut, um sie beim Entwurf zu haben.</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="93"/>
        <source>Could not write the story settings: %1</source>
        <translation>Die Geschichtseinstellungen konnten nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="112"/>
        <source>The story settings were not imported: %1</source>
        <translation>Die Geschichtseinstellungen wurden nicht importiert: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftsModel</name>
    <message numerus="yes">
        <location filename="../ui/drafts_model.cpp" line="18"/>
        <source>%1
%Ln word(s) · %2</source>
        <translation>
            <numerusform>%1
%Ln Wort · %2</numerusform>
            <numerusform>%1
%Ln Wörter · %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/drafts_model.cpp" line="19"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/drafts_model.cpp" line="80"/>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftsPanel</name>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="78"/>
        <location filename="../ui/drafts_panel.cpp" line="79"/>
        <source>Search drafts</source>
        <translation>Entwürfe durchsuchen</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="80"/>
        <source>Drafts</source>
        <translation>Entwürfe</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="81"/>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="82"/>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="83"/>
        <source>Du&amp;plicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="84"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="85"/>
        <source>&amp;Undo delete</source>
        <translation>Löschen &amp;rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="86"/>
        <source>“%1” was moved to the trash.</source>
        <translation>„%1“ wurde in den Papierkorb verschoben.</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="87"/>
        <location filename="../ui/drafts_panel.cpp" line="120"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="128"/>
        <source>Rename draft</source>
        <translation>Entwurf umbenennen</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="128"/>
        <source>Title:</source>
        <translation>Titel:</translation>
    </message>
</context>
<context>
    <name>fabula::ui::EngineWorker</name>
    <message>
        <location filename="../ui/engine_worker.cpp" line="111"/>
        <location filename="../ui/engine_worker.cpp" line="149"/>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::EstimatePage</name>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="78"/>
        <source>How long it will take</source>
        <translation>Wie lange es dauert</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="79"/>
        <source>A few real training steps measure this machine.</source>
        <translation>Ein paar echte Trainingsschritte messen diesen Rechner.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="81"/>
        <source>&amp;Start training</source>
        <translation>Training &amp;starten</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="95"/>
        <source>Train &amp;one epoch</source>
        <translation>&amp;Eine Epoche trainieren</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="97"/>
        <source>Use s&amp;horter blocks (128 tokens)</source>
        <translation>&amp;Kürzere Blöcke verwenden (128 Token)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="112"/>
        <source>Could not measure this machine: %1</source>
        <translation>Dieser Rechner konnte nicht gemessen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="133"/>
        <source>Setting the held-out stories aside…</source>
        <translation>Die zurückgehaltenen Geschichten werden beiseitegelegt…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="151"/>
        <source>Disk: the checkpoints need about %1; %2 are free.</source>
        <translation>Speicherplatz: Die Zwischenstände brauchen etwa %1; %2 sind frei.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="152"/>
        <source>Disk: the checkpoints need about %1, but only %2 are free. Free some space first.</source>
        <translation>Speicherplatz: Die Zwischenstände brauchen etwa %1, aber nur %2 sind frei. Geben Sie zuerst Platz frei.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="166"/>
        <source>Timing a few training steps on this machine…</source>
        <translation>Ein paar Trainingsschritte werden auf diesem Rechner gemessen…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="180"/>
        <source>Measured on %1: %2 s per step.</source>
        <translation>Gemessen auf %1: %2 s pro Schritt.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/wizard/estimate_page.cpp" line="181"/>
        <source>About %1 per epoch (%n steps), %2 in total.</source>
        <translation>
            <numerusform>Etwa %1 pro Epoche (%n Schritt), insgesamt %2.</numerusform>
            <numerusform>Etwa %1 pro Epoche (%n Schritte), insgesamt %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="183"/>
        <source>Memory: training needs about %1.</source>
        <translation>Arbeitsspeicher: Das Training braucht etwa %1.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="186"/>
        <source>Full fine-tuning would take about %1 in total and need about %2 of memory (an estimate from the computation each step needs).</source>
        <translation>Die vollständige Feinabstimmung würde insgesamt etwa %1 dauern und etwa %2 Speicher brauchen (geschätzt aus dem Rechenaufwand jedes Schritts).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="190"/>
        <source>LoRA would take about %1 in total and need about %2 of memory (an estimate from the computation each step needs).</source>
        <translation>LoRA würde insgesamt etwa %1 dauern und etwa %2 Speicher brauchen (geschätzt aus dem Rechenaufwand jedes Schritts).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="198"/>
        <source>That is a long time: this computer trains on its processor, which is much slower than a graphics card. Fewer epochs, a smaller model or shorter blocks make it quicker; you can also keep writing while it trains, and pause it at any time.</source>
        <translation>Das dauert lange: Dieser Computer trainiert auf seinem Prozessor, der viel langsamer ist als eine Grafikkarte. Weniger Epochen, ein kleineres Modell oder kürzere Blöcke machen es schneller; Sie können auch weiterschreiben, während es trainiert, und es jederzeit pausieren.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::FeedbackDialog</name>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="41"/>
        <source>Feedback for training</source>
        <translation>Rückmeldungen fürs Training</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Accepted (SFT)</source>
        <translation>Übernommen (SFT)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Pairs (DPO)</source>
        <translation>Paare (DPO)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="45"/>
        <source>Rated (KTO)</source>
        <translation>Bewertet (KTO)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="45"/>
        <source>Deleted</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Set</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Context (end)</source>
        <translation>Kontext (Ende)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Text (chosen)</source>
        <translation>Text (gewählt)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Rejected</source>
        <translation>Verworfen</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="55"/>
        <source>Drafts and what each gives</source>
        <translation>Entwürfe und was jeder beiträgt</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="63"/>
        <source>Items of the chosen draft</source>
        <translation>Einträge des gewählten Entwurfs</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="66"/>
        <source>Untick a draft to leave all of its feedback out. Deleting an item only keeps it out of training; your ratings and text stay.</source>
        <translation>Entfernen Sie das Häkchen bei einem Entwurf, um alle seine Rückmeldungen auszulassen. Ein gelöschter Eintrag bleibt nur dem Training fern; Ihre Bewertungen und Ihr Text bleiben erhalten.</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="73"/>
        <source>&amp;Delete item</source>
        <translation>Eintrag &amp;löschen</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="74"/>
        <source>&amp;Undo delete</source>
        <translation>Löschen &amp;rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="112"/>
        <source>Use this draft&apos;s feedback</source>
        <translation>Die Rückmeldungen dieses Entwurfs verwenden</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="113"/>
        <source>(no draft)</source>
        <translation>(kein Entwurf)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="114"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="127"/>
        <source>Will be used: %1 accepted continuations (SFT), %2 pairs (DPO), %3 rated continuations (KTO).</source>
        <translation>Verwendet werden: %1 übernommene Fortsetzungen (SFT), %2 Paare (DPO), %3 bewertete Fortsetzungen (KTO).</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="165"/>
        <source>SFT</source>
        <translation>SFT</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="167"/>
        <source>Pair</source>
        <translation>Paar</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="169"/>
        <source>KTO, good</source>
        <translation>KTO, gut</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="169"/>
        <source>KTO, bad</source>
        <translation>KTO, schwach</translation>
    </message>
</context>
<context>
    <name>fabula::ui::FeedbackNote</name>
    <message numerus="yes">
        <location filename="../ui/feedback_note.cpp" line="35"/>
        <source>%n new piece(s) of feedback since the model last learnt from it: Training ▸ Learn from my feedback… teaches them to it.</source>
        <translation>
            <numerusform>%n neue Rückmeldung, seit das Modell zuletzt daraus gelernt hat: Training ▸ Aus meinen Rückmeldungen lernen… bringt sie ihm bei.</numerusform>
            <numerusform>%n neue Rückmeldungen, seit das Modell zuletzt daraus gelernt hat: Training ▸ Aus meinen Rückmeldungen lernen… bringt sie ihm bei.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::FeedbackPage</name>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="53"/>
        <source>Your feedback</source>
        <translation>Ihre Rückmeldungen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="54"/>
        <source>What the model learns from: the continuations you accepted, rejected, edited and rated.</source>
        <translation>Woraus das Modell lernt: die Fortsetzungen, die Sie übernommen, verworfen, bearbeitet und bewertet haben.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="55"/>
        <location filename="../ui/wizard/feedback_page.cpp" line="102"/>
        <source>Collecting your feedback…</source>
        <translation>Ihre Rückmeldungen werden gesammelt…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="60"/>
        <source>Preferences (DPO): learns to prefer what you chose over what you turned down.</source>
        <translation>Vorlieben (DPO): lernt, das Gewählte dem Abgelehnten vorzuziehen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="61"/>
        <source>Accepted text (SFT): learns to write like the continuations you kept, with your edits.</source>
        <translation>Übernommener Text (SFT): lernt, wie die behaltenen Fortsetzungen zu schreiben, mit Ihren Änderungen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="62"/>
        <source>Ratings (KTO): learns from thumbs and stars, good and bad, without needing pairs.</source>
        <translation>Bewertungen (KTO): lernt aus Daumen und Sternen, guten wie schlechten, ohne Paare zu brauchen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="68"/>
        <source>Keep my voice: also keep learning from the stories of the first page</source>
        <translation>Meine Stimme behalten: auch weiter aus den Geschichten der ersten Seite lernen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="135"/>
        <source>Your feedback could not be exported: %1</source>
        <translation>Ihre Rückmeldungen konnten nicht exportiert werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="145"/>
        <source>From your feedback: %1 accepted continuations (SFT), %2 pairs (DPO; %3 to train on, %4 held out to measure the result), %5 rated continuations (KTO).</source>
        <translation>Aus Ihren Rückmeldungen: %1 übernommene Fortsetzungen (SFT), %2 Paare (DPO; %3 zum Trainieren, %4 zurückgehalten, um das Ergebnis zu messen), %5 bewertete Fortsetzungen (KTO).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="159"/>
        <source>There is nothing to learn from yet: accept, reject or rate some continuations first.</source>
        <translation>Es gibt noch nichts zum Lernen: Übernehmen, verwerfen oder bewerten Sie zuerst einige Fortsetzungen.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::FindBar</name>
    <message>
        <location filename="../ui/find_bar.cpp" line="43"/>
        <location filename="../ui/find_bar.cpp" line="44"/>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="45"/>
        <location filename="../ui/find_bar.cpp" line="46"/>
        <source>Replace with</source>
        <translation>Ersetzen durch</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="47"/>
        <source>Match &amp;case</source>
        <translation>&amp;Groß-/Kleinschreibung</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="48"/>
        <source>Find &amp;next</source>
        <translation>&amp;Weitersuchen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="49"/>
        <source>&amp;Replace</source>
        <translation>&amp;Ersetzen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="50"/>
        <source>Replace &amp;all</source>
        <translation>&amp;Alle ersetzen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="51"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="82"/>
        <source>Wrapped around</source>
        <translation>Vom Anfang weitergesucht</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="82"/>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/find_bar.cpp" line="107"/>
        <source>%n replaced</source>
        <translation>
            <numerusform>%n ersetzt</numerusform>
            <numerusform>%n ersetzt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::FineTuneWizard</name>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="29"/>
        <source>Fine-tune on my stories</source>
        <translation>Auf meine Geschichten feinabstimmen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="62"/>
        <source>Learn from my feedback</source>
        <translation>Aus meinen Rückmeldungen lernen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="63"/>
        <source>Your stories: the model keeps to their voice while it learns from your feedback, and a few are held out to measure it.</source>
        <translation>Ihre Geschichten: Das Modell bleibt bei ihrer Stimme, während es aus Ihren Rückmeldungen lernt, und einige werden zurückgehalten, um es zu messen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="98"/>
        <source>Use this model</source>
        <translation>Dieses Modell verwenden</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="98"/>
        <source>The new model could not be registered: %1</source>
        <translation>Das neue Modell konnte nicht eingetragen werden: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::HistoryDialog</name>
    <message>
        <location filename="../ui/history_dialog.cpp" line="18"/>
        <source>Version history</source>
        <translation>Versionsverlauf</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="20"/>
        <source>Saved versions</source>
        <translation>Gespeicherte Versionen</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="23"/>
        <source>Version text</source>
        <translation>Text der Version</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="29"/>
        <source>&amp;Restore this version</source>
        <translation>Diese Version &amp;wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="40"/>
        <source>saved by hand</source>
        <translation>von Hand gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="41"/>
        <source>before a restore</source>
        <translation>vor einer Wiederherstellung</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="42"/>
        <source>autosave</source>
        <translation>automatisch gespeichert</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/history_dialog.cpp" line="43"/>
        <source>%1 — %2, %Ln word(s)</source>
        <translation>
            <numerusform>%1 — %2, %Ln Wort</numerusform>
            <numerusform>%1 — %2, %Ln Wörter</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::HubCatalogModel</name>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="61"/>
        <source>%1, revision %2</source>
        <translation>%1, Revision %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="64"/>
        <source>Accept the license on the model&apos;s hub page, then enter an access token below.</source>
        <translation>Akzeptieren Sie die Lizenz auf der Hub-Seite des Modells und geben Sie dann unten ein Zugriffstoken ein.</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="79"/>
        <source>about %1</source>
        <translation>etwa %1</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="82"/>
        <source>gated: needs a token</source>
        <translation>zugangsbeschränkt: braucht ein Token</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="82"/>
        <source>open</source>
        <translation>frei</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="90"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="91"/>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="92"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="93"/>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="94"/>
        <source>License</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="95"/>
        <source>Access</source>
        <translation>Zugang</translation>
    </message>
</context>
<context>
    <name>fabula::ui::HubDownload</name>
    <message>
        <location filename="../ui/hub_download.cpp" line="123"/>
        <source>the file is shorter than expected</source>
        <translation>die Datei ist kürzer als erwartet</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="288"/>
        <source>“%1” is not a model name on the hub; names look like gpt2 or openai-community/gpt2-large.</source>
        <translation>„%1“ ist kein Modellname auf dem Hub; Namen sehen aus wie gpt2 oder openai-community/gpt2-large.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="296"/>
        <source>“%1” is not a revision name; revisions are branches, tags or commits such as main or float16.</source>
        <translation>„%1“ ist kein Revisionsname; Revisionen sind Branches, Tags oder Commits wie main oder float16.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="302"/>
        <source>The hub address “%1” is not an http(s) address.</source>
        <translation>Die Hub-Adresse „%1“ ist keine http(s)-Adresse.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="306"/>
        <source>No folder was given to download %1 into.</source>
        <translation>Es wurde kein Ordner angegeben, in den %1 heruntergeladen werden soll.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="315"/>
        <source>Cannot create the folder %1: %2</source>
        <translation>Der Ordner %1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="316"/>
        <source>a file has that name</source>
        <translation>eine Datei hat diesen Namen</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="321"/>
        <source>Cannot write in the folder %1: %2</source>
        <translation>In den Ordner %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="539"/>
        <source>The hub answered “%1 %2” when asked about %3.</source>
        <translation>Der Hub antwortete „%1 %2“ auf die Frage nach %3.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="545"/>
        <source>Cannot reach the hub at %1: %2</source>
        <translation>Der Hub unter %1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="463"/>
        <source>The hub&apos;s answer about %1 is not a model&apos;s file list.</source>
        <translation>Die Antwort des Hubs zu %1 ist keine Dateiliste eines Modells.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="382"/>
        <source>%1 is gated or private: the hub lets only signed-in users who were given access download %2 (HTTP %3). Accept the model&apos;s terms on its hub page, then enter an access token from your hub account and download again.</source>
        <translation>%1 ist zugangsbeschränkt oder privat: Der Hub lässt nur angemeldete Nutzer mit Zugang %2 herunterladen (HTTP %3). Akzeptieren Sie die Bedingungen des Modells auf seiner Hub-Seite, geben Sie dann ein Zugriffstoken aus Ihrem Hub-Konto ein und laden Sie erneut herunter.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="388"/>
        <source>The hub did not accept the access token for %1 (HTTP 401). Check the token in your hub account&apos;s settings and enter it again.</source>
        <translation>Der Hub hat das Zugriffstoken für %1 nicht angenommen (HTTP 401). Prüfen Sie das Token in den Einstellungen Ihres Hub-Kontos und geben Sie es erneut ein.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="391"/>
        <source>The hub refused access to %1 with this token (HTTP 403): %2 is gated. Accept the model&apos;s terms on its hub page with the account the token belongs to, then download again.</source>
        <translation>Der Hub verweigert mit diesem Token den Zugriff auf %1 (HTTP 403): %2 ist zugangsbeschränkt. Akzeptieren Sie die Bedingungen des Modells auf seiner Hub-Seite mit dem Konto, zu dem das Token gehört, und laden Sie dann erneut herunter.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="438"/>
        <source>%1 has %2 but not the %3 shards it names, so its weights cannot be downloaded whole.</source>
        <translation>%1 hat %2, aber nicht die %3 Teildateien, die darin genannt sind; seine Gewichte lassen sich daher nicht vollständig herunterladen.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="439"/>
        <source>model-…-of-….safetensors</source>
        <translation>model-…-of-….safetensors</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="474"/>
        <source>%1 has no model.safetensors (nor %2 with its shards); Fabula can only use models saved in the safetensors format.</source>
        <translation>%1 hat keine model.safetensors (auch keine %2 mit ihren Teildateien); Fabula kann nur Modelle im safetensors-Format verwenden.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="476"/>
        <source>%1 has no model.safetensors (nor %2 with its shards): its weights are only in %3, a format Fabula does not read. Fabula can only use models saved in the safetensors format; another revision of the repository may have them.</source>
        <translation>%1 hat keine model.safetensors (auch keine %2 mit ihren Teildateien): Seine Gewichte liegen nur in %3 vor, einem Format, das Fabula nicht liest. Fabula kann nur Modelle im safetensors-Format verwenden; eine andere Revision des Repositorys hat sie vielleicht.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="482"/>
        <source>%1 has no %2, so it is not a complete model folder.</source>
        <translation>%1 hat keine %2 und ist daher kein vollständiger Modellordner.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="485"/>
        <source>The hub does not list the size and checksum of %1 in %2, so the download cannot be checked.</source>
        <translation>Der Hub nennt Größe und Prüfsumme von %1 in %2 nicht, daher kann der Download nicht geprüft werden.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="493"/>
        <source>%1 has no tokenizer (tokenizer.json, tokenizer.model, or vocab.json with merges.txt), so it is not a complete model folder.</source>
        <translation>%1 hat keinen Tokenizer (tokenizer.json, tokenizer.model oder vocab.json mit merges.txt) und ist daher kein vollständiger Modellordner.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="525"/>
        <source>The hub has no public model named “%1”. If it is private, enter an access token from your hub account.</source>
        <translation>Der Hub hat kein öffentliches Modell namens „%1“. Wenn es privat ist, geben Sie ein Zugriffstoken aus Ihrem Hub-Konto ein.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="527"/>
        <source>The hub has no model named “%1” that this token can see.</source>
        <translation>Der Hub hat kein Modell namens „%1“, das dieses Token sehen kann.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="535"/>
        <source>The hub sent the file list of %1 to an address Fabula does not follow.</source>
        <translation>Der Hub hat die Dateiliste von %1 an eine Adresse verwiesen, der Fabula nicht folgt.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="574"/>
        <source>Not enough free space in %1: the model needs %2 more and %3 is free.</source>
        <translation>Nicht genug freier Platz in %1: Das Modell braucht %2 mehr und %3 ist frei.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="631"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="660"/>
        <location filename="../ui/hub_download.cpp" line="679"/>
        <location filename="../ui/hub_download.cpp" line="734"/>
        <location filename="../ui/hub_download.cpp" line="820"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="692"/>
        <source>The hub sent the wrong part of %1; start the download again.</source>
        <translation>Der Hub hat den falschen Teil von %1 geschickt; starten Sie den Download erneut.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="725"/>
        <source>%1 is corrupted (the hub sent more than the %2 bytes it lists); download it again.</source>
        <translation>%1 ist beschädigt (der Hub schickte mehr als die angegebenen %2 Bytes); laden Sie es erneut herunter.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="737"/>
        <source>the disk may be full</source>
        <translation>der Datenträger ist vielleicht voll</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="766"/>
        <source>The hub sent %1 to an address Fabula does not follow: %2</source>
        <translation>Der Hub hat %1 an eine Adresse umgeleitet, der Fabula nicht folgt: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="776"/>
        <source>The hub has no %1 for %2 (HTTP %3).</source>
        <translation>Der Hub hat kein %1 für %2 (HTTP %3).</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="778"/>
        <source>The hub answered “%1 %2” for %3.</source>
        <translation>Der Hub antwortete „%1 %2“ für %3.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="786"/>
        <source>the hub stopped sending data</source>
        <translation>der Hub hat aufgehört, Daten zu senden</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="788"/>
        <source>Downloading %1 stopped: %2. Start the download again to continue where it stopped.</source>
        <translation>Der Download von %1 wurde unterbrochen: %2. Starten Sie ihn erneut, um dort fortzusetzen.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="798"/>
        <source>Downloading %1 stopped after %2 of its %3 bytes. Start the download again to continue where it stopped.</source>
        <translation>Der Download von %1 wurde nach %2 von %3 Bytes unterbrochen. Starten Sie ihn erneut, um dort fortzusetzen.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="808"/>
        <source>%1 is corrupted (checksum mismatch); download it again.</source>
        <translation>%1 ist beschädigt (Prüfsumme stimmt nicht); laden Sie es erneut herunter.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="826"/>
        <source>Cannot rename %1 to %2: %3</source>
        <translation>%1 kann nicht in %2 umbenannt werden: %3</translation>
    </message>
</context>
<context>
    <name>fabula::ui::LorebookModel</name>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="78"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="79"/>
        <source>Keys</source>
        <translation>Schlüsselwörter</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="80"/>
        <source>Also needs</source>
        <translation>Braucht auch</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="81"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="82"/>
        <source>Always</source>
        <translation>Immer</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="83"/>
        <source>Match case</source>
        <translation>Groß-/Kleinschreibung</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="84"/>
        <source>On</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="85"/>
        <source>Order</source>
        <translation>Reihenfolge</translation>
    </message>
</context>
<context>
    <name>fabula::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="61"/>
        <location filename="../ui/main_window.cpp" line="232"/>
        <source>Fabula</source>
        <translation>Fabula</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="103"/>
        <location filename="../ui/main_window.cpp" line="232"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="152"/>
        <source>&amp;New draft</source>
        <translation>&amp;Neuer Entwurf</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>Ctrl+Shift+I</source>
        <translation>Ctrl+Shift+I</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="155"/>
        <source>&amp;Back up library…</source>
        <translation>Bibliothek &amp;sichern…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="156"/>
        <source>&amp;Models…</source>
        <translation>&amp;Modelle…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="156"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="157"/>
        <source>&amp;Fine-tune on my stories…</source>
        <translation>Auf meine Geschichten &amp;feinabstimmen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="158"/>
        <source>&amp;Learn from my feedback…</source>
        <translation>Aus meinen &amp;Rückmeldungen lernen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>Feedback for &amp;training…</source>
        <translation>Rückmeldungen fürs &amp;Training…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="162"/>
        <source>&amp;Blind A/B test…</source>
        <translation>&amp;Blinder A/B-Test…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="160"/>
        <source>&amp;Settings…</source>
        <translation>Eins&amp;tellungen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>Training &amp;runs…</source>
        <translation>Trainings&amp;läufe…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="163"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="164"/>
        <source>&amp;About Fabula</source>
        <translation>Ü&amp;ber Fabula</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="165"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="166"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="167"/>
        <source>&amp;Find and replace…</source>
        <translation>&amp;Suchen und ersetzen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="168"/>
        <source>Version &amp;history…</source>
        <translation>&amp;Versionsverlauf…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="168"/>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="169"/>
        <source>&amp;Focus mode</source>
        <translation>&amp;Fokusmodus</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="169"/>
        <source>F11</source>
        <translation>F11</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>&amp;Continue</source>
        <translation>&amp;Weiterschreiben</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>&amp;Regenerate</source>
        <translation>&amp;Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="172"/>
        <source>&amp;Alternatives</source>
        <translation>&amp;Alternativen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="172"/>
        <source>Ctrl+Shift+Return</source>
        <translation>Ctrl+Shift+Return</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="174"/>
        <source>Acc&amp;ept (Tab)</source>
        <translation>Ü&amp;bernehmen (Tab)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="174"/>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="175"/>
        <source>Re&amp;ject (Esc)</source>
        <translation>&amp;Verwerfen (Esc)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="175"/>
        <source>Ctrl+Shift+J</source>
        <translation>Ctrl+Shift+J</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="176"/>
        <source>&amp;Stop</source>
        <translation>&amp;Stopp</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="176"/>
        <source>Ctrl+.</source>
        <translation>Ctrl+.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="177"/>
        <source>Good continuation</source>
        <translation>Gute Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="177"/>
        <source>Ctrl+Shift+Up</source>
        <translation>Ctrl+Shift+Up</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="178"/>
        <source>Poor continuation</source>
        <translation>Schwache Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="178"/>
        <source>Ctrl+Shift+Down</source>
        <translation>Ctrl+Shift+Down</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="198"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="199"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="200"/>
        <source>&amp;Write</source>
        <translation>&amp;Schreiben</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="201"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="202"/>
        <source>&amp;Training</source>
        <translation>&amp;Training</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="203"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="204"/>
        <source>Save problem</source>
        <translation>Speicherproblem</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="205"/>
        <source>Continuation</source>
        <translation>Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="206"/>
        <source>Stars for this continuation</source>
        <translation>Sterne für diese Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="207"/>
        <source>Stars…</source>
        <translation>Sterne…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="208"/>
        <source>Alternative continuations</source>
        <translation>Alternative Fortsetzungen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="224"/>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="190"/>
        <source>&amp;Story: memory, note, lorebook</source>
        <translation>&amp;Geschichte: Gedächtnis, Notiz, Lorebook</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="191"/>
        <source>Ctrl+Shift+M</source>
        <translation>Ctrl+Shift+M</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="192"/>
        <source>&amp;Context the model sees</source>
        <translation>&amp;Kontext, den das Modell sieht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="193"/>
        <source>Ctrl+Shift+K</source>
        <translation>Ctrl+Shift+K</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="232"/>
        <source>%1 — Fabula</source>
        <translation>%1 — Fabula</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="236"/>
        <source>%Ln word(s)</source>
        <translation>
            <numerusform>%Ln Wort</numerusform>
            <numerusform>%Ln Wörter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="237"/>
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln Zeichen</numerusform>
            <numerusform>%Ln Zeichen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="428"/>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="433"/>
        <source>Loading… %1%</source>
        <translation>Lade… %1 %</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="226"/>
        <location filename="../ui/main_window.cpp" line="445"/>
        <source>%1 · voice “%2”</source>
        <translation>%1 · Stimme „%2“</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="446"/>
        <source>Writing with %1 alone.</source>
        <translation>Schreibt mit %1 allein.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="447"/>
        <source>Writing in the voice “%1”.</source>
        <translation>Schreibt mit der Stimme „%1“.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="243"/>
        <location filename="../ui/main_window.cpp" line="672"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="245"/>
        <source>prompt: %1 new, %2 reused</source>
        <translation>Eingabe: %1 neu, %2 wiederverwendet</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="249"/>
        <location filename="../ui/main_window.cpp" line="671"/>
        <source>%1 words/s (%2)</source>
        <translation>%1 Wörter/s (%2)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="517"/>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="518"/>
        <source>Edited</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="519"/>
        <source>Saving…</source>
        <translation>Speichere…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="520"/>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="564"/>
        <source>Export draft</source>
        <translation>Entwurf exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="565"/>
        <source>Plain text (*.txt);;Markdown (*.md);;OpenDocument text (*.odt)</source>
        <translation>Reiner Text (*.txt);;Markdown (*.md);;OpenDocument-Text (*.odt)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="573"/>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="580"/>
        <source>Import a text</source>
        <translation>Text importieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="580"/>
        <source>Text (*.txt *.md)</source>
        <translation>Text (*.txt *.md)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="612"/>
        <source>Back up library</source>
        <translation>Bibliothek sichern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="613"/>
        <source>Fabula library (*.sqlite)</source>
        <translation>Fabula-Bibliothek (*.sqlite)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="617"/>
        <source>Library backed up to %1</source>
        <translation>Bibliothek gesichert nach %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="619"/>
        <source>The backup failed: %1</source>
        <translation>Die Sicherung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="657"/>
        <source>The Lighthouse Keeper&apos;s Daughter

The storm had been building since noon, a bruise-coloured wall of cloud that swallowed the horizon one mile at a time. Mara watched it from the gallery of the lighthouse, her hands wrapped around a mug of tea that had long gone cold.

Her father had kept this light for thirty-one years. He had never once let it go dark, not through the winter of the great ice, not through the night her mother left on the last ferry to the mainland. Now he lay in the narrow bed below, and the keeping of the light had fallen to her.

She climbed down the iron stairs, counting them as she always did, and found him awake.</source>
        <translation>The Lighthouse Keeper&apos;s Daughter

The storm had been building since noon, a bruise-coloured wall of cloud that swallowed the horizon one mile at a time. Mara watched it from the gallery of the lighthouse, her hands wrapped around a mug of tea that had long gone cold.

Her father had kept this light for thirty-one years. He had never once let it go dark, not through the winter of the great ice, not through the night her mother left on the last ferry to the mainland. Now he lay in the narrow bed below, and the keeping of the light had fallen to her.

She climbed down the iron stairs, counting them as she always did, and found him awake.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="666"/>
        <source> &quot;Is it coming?&quot; he asked, without opening his eyes. She told him it was, and that the lamp was trimmed and the glass was clean, and he smiled the way he used to when she was small.</source>
        <translation> &quot;Is it coming?&quot; he asked, without opening his eyes. She told him it was, and that the lamp was trimmed and the glass was clean, and he smiled the way he used to when she was small.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="683"/>
        <source>The Lighthouse Keeper&apos;s Daughter</source>
        <translation>Die Tochter des Leuchtturmwärters</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelDialog</name>
    <message>
        <location filename="../ui/model_dialog.cpp" line="21"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="43"/>
        <location filename="../ui/model_dialog.cpp" line="141"/>
        <source>&amp;Load</source>
        <translation>&amp;Laden</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="45"/>
        <source>&amp;Remove from list</source>
        <translation>Aus der Liste &amp;entfernen</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="46"/>
        <source>&amp;Add model folder…</source>
        <translation>Modell&amp;ordner hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="47"/>
        <source>&amp;Download a model…</source>
        <translation>Ein Modell &amp;herunterladen…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="91"/>
        <source>The voice “%1” is in the list, under the model it was made for.</source>
        <translation>Die Stimme „%1“ steht in der Liste, unter dem Modell, für das sie gemacht wurde.</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="115"/>
        <source>&lt;p&gt;&lt;b&gt;Fabula needs a language model to continue your text.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A model is a folder with &lt;i&gt;config.json&lt;/i&gt;, the weights in &lt;i&gt;model.safetensors&lt;/i&gt; (or several shards with &lt;i&gt;model.safetensors.index.json&lt;/i&gt;) and the tokenizer files, as published on the Hugging Face hub: GPT-2, GPT-Neo, GPT-J or a Llama-family model (Llama, Mistral, Qwen2). Download one here (about 0.3 GB for the smallest), or add a folder you already have.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Fabula braucht ein Sprachmodell, um Ihren Text fortzusetzen.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Ein Modell ist ein Ordner mit &lt;i&gt;config.json&lt;/i&gt;, den Gewichten in &lt;i&gt;model.safetensors&lt;/i&gt; (oder mehreren Teildateien mit &lt;i&gt;model.safetensors.index.json&lt;/i&gt;) und den Tokenizer-Dateien, wie sie auf dem Hugging Face Hub veröffentlicht sind: GPT-2, GPT-Neo, GPT-J oder ein Modell der Llama-Familie (Llama, Mistral, Qwen2). Laden Sie hier eines herunter (etwa 0,3 GB für das kleinste) oder fügen Sie einen Ordner hinzu, den Sie schon haben.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="122"/>
        <source>Choose the model that continues your text. Memory counts the weights in the precision they run in here and the cache for the model&apos;s context.</source>
        <translation>Wählen Sie das Modell, das Ihren Text fortsetzt. Der Speicher umfasst die Gewichte in der Genauigkeit, in der sie hier laufen, und den Cache für den Kontext des Modells.</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="88"/>
        <source>%1 cannot be used: %2</source>
        <translation>%1 kann nicht verwendet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="27"/>
        <source>Registered models and their voices</source>
        <translation>Eingetragene Modelle und ihre Stimmen</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="94"/>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="140"/>
        <source>&amp;Use this voice</source>
        <translation>Diese Stimme &amp;verwenden</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="146"/>
        <source>Add model folder</source>
        <translation>Modellordner hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="148"/>
        <source>Checking %1…</source>
        <translation>Prüfe %1…</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelListModel</name>
    <message>
        <location filename="../ui/model_list_model.cpp" line="123"/>
        <source>not measured yet</source>
        <translation>noch nicht gemessen</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="124"/>
        <source>about %1 tokens/s</source>
        <translation>etwa %1 Token/s</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="129"/>
        <source>Fabula measures the speed when a model writes a continuation; the estimates for the others follow from it.</source>
        <translation>Fabula misst die Geschwindigkeit, wenn ein Modell eine Fortsetzung schreibt; die Schätzungen für die anderen folgen daraus.</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="132"/>
        <source>Estimated from the last measurement on this machine: %1 tokens/s with %2 (%3, %4 of weights). Writing reads every weight once per token, so the speed scales with the weights&apos; size (%5 here).</source>
        <translation>Geschätzt aus der letzten Messung auf diesem Rechner: %1 Token/s mit %2 (%3, %4 Gewichte). Beim Schreiben wird jedes Gewicht einmal pro Token gelesen, daher skaliert die Geschwindigkeit mit der Größe der Gewichte (hier %5).</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="150"/>
        <source>voice</source>
        <translation>Stimme</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="150"/>
        <source>voice for %1</source>
        <translation>Stimme für %1</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="150"/>
        <source>an unknown model</source>
        <translation>ein unbekanntes Modell</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="158"/>
        <source>A voice (LoRA adapter) trained on top of its base model: choosing it keeps the base loaded and only changes the voice.</source>
        <translation>Eine Stimme (LoRA-Adapter), auf ihrem Basismodell trainiert: Wenn Sie sie wählen, bleibt das Basismodell geladen und nur die Stimme wechselt.</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="182"/>
        <source>cannot be used</source>
        <translation>nicht verwendbar</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="193"/>
        <source>%1 (runs in %2)</source>
        <translation>%1 (läuft in %2)</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="200"/>
        <source>%1 (model_type “%2”)</source>
        <translation>%1 (model_type „%2“)</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="201"/>
        <source>%1 parameters</source>
        <translation>%1 Parameter</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="202"/>
        <source>The file stores the weights in %1; Fabula runs them in %2 on this machine.</source>
        <translation>Die Datei speichert die Gewichte in %1; Fabula führt sie auf diesem Rechner in %2 aus.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/model_list_model.cpp" line="205"/>
        <source>%1 for the weights in %2 and %3 for %n token(s) of context.</source>
        <translation>
            <numerusform>%1 für die Gewichte in %2 und %3 für %n Token Kontext.</numerusform>
            <numerusform>%1 für die Gewichte in %2 und %3 für %n Token Kontext.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="209"/>
        <source>Only %1 is free now: close other programs before loading it.</source>
        <translation>Nur %1 sind gerade frei: Schließen Sie andere Programme, bevor Sie es laden.</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="225"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="226"/>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="227"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="228"/>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="229"/>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="230"/>
        <source>Speed here</source>
        <translation>Tempo hier</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="231"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelManager</name>
    <message>
        <location filename="../ui/model_manager.cpp" line="159"/>
        <source>Could not switch to the voice in %1: %2</source>
        <translation>Die Stimme in %1 konnte nicht gewählt werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="166"/>
        <source>Could not load the model in %1: %2</source>
        <translation>Das Modell in %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="167"/>
        <source>%1 is still loaded.</source>
        <translation>%1 ist weiterhin geladen.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::QuitGuard</name>
    <message>
        <location filename="../ui/quit_guard.cpp" line="39"/>
        <location filename="../ui/quit_guard.cpp" line="83"/>
        <location filename="../ui/quit_guard.cpp" line="112"/>
        <source>Fabula</source>
        <translation>Fabula</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="39"/>
        <source>A model is still training.</source>
        <translation>Ein Modell wird noch trainiert.</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="42"/>
        <source>It can go on in the background and Fabula shows it again when you come back, or pause now (after saving a checkpoint) and be resumed later.</source>
        <translation>Es kann im Hintergrund weiterlaufen, und Fabula zeigt es wieder, wenn Sie zurückkommen, oder jetzt pausieren (nachdem ein Zwischenstand gespeichert ist) und später fortgesetzt werden.</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="44"/>
        <source>&amp;Keep training in the background</source>
        <translation>Im &amp;Hintergrund weiter trainieren</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="46"/>
        <source>&amp;Pause training</source>
        <translation>Training &amp;pausieren</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="48"/>
        <source>&amp;Don&apos;t quit</source>
        <translation>&amp;Nicht beenden</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="84"/>
        <source>Saving your text before quitting…</source>
        <translation>Ihr Text wird vor dem Beenden gespeichert…</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="85"/>
        <location filename="../ui/quit_guard.cpp" line="124"/>
        <source>&amp;Keep writing</source>
        <translation>&amp;Weiterarbeiten</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="113"/>
        <source>Your latest changes are not saved, so quitting now would lose them.</source>
        <translation>Ihre letzten Änderungen sind nicht gespeichert; wenn Sie jetzt beenden, gehen sie verloren.</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="118"/>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="120"/>
        <source>&amp;Save a copy as a file…</source>
        <translation>Eine &amp;Kopie als Datei speichern…</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="122"/>
        <source>&amp;Quit anyway</source>
        <translation>&amp;Trotzdem beenden</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="148"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="152"/>
        <source>Save a copy of your text</source>
        <translation>Eine Kopie Ihres Textes speichern</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="152"/>
        <source>Plain text (*.txt)</source>
        <translation>Reiner Text (*.txt)</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="161"/>
        <source>The copy was not saved. %1</source>
        <translation>Die Kopie wurde nicht gespeichert. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ResultPage</name>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="35"/>
        <source>Before and after</source>
        <translation>Vorher und nachher</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="36"/>
        <source>How the new model compares with the one it started from, on stories it never saw.</source>
        <translation>Wie sich das neue Modell im Vergleich zu dem schlägt, mit dem es begann, auf Geschichten, die es nie gesehen hat.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="51"/>
        <location filename="../ui/wizard/result_page.cpp" line="164"/>
        <location filename="../ui/wizard/result_page.cpp" line="193"/>
        <location filename="../ui/wizard/result_page.cpp" line="244"/>
        <source>Base model</source>
        <translation>Basismodell</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="52"/>
        <location filename="../ui/wizard/result_page.cpp" line="121"/>
        <location filename="../ui/wizard/result_page.cpp" line="164"/>
        <location filename="../ui/wizard/result_page.cpp" line="193"/>
        <location filename="../ui/wizard/result_page.cpp" line="245"/>
        <source>New model</source>
        <translation>Neues Modell</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="57"/>
        <source>Opening %1</source>
        <translation>Anfang %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="62"/>
        <source>The base model&apos;s continuation of opening %1</source>
        <translation>Die Fortsetzung von Anfang %1 durch das Basismodell</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="63"/>
        <source>The new model&apos;s continuation of opening %1</source>
        <translation>Die Fortsetzung von Anfang %1 durch das neue Modell</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="68"/>
        <source>Opening %1:</source>
        <translation>Anfang %1:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="75"/>
        <source>Continue both &amp;again</source>
        <translation>&amp;Beide erneut fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="76"/>
        <location filename="../ui/wizard/result_page.cpp" line="122"/>
        <source>&amp;Use this model</source>
        <translation>Dieses Modell &amp;verwenden</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="78"/>
        <source>&amp;Train more…</source>
        <translation>Weiter &amp;trainieren…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="84"/>
        <source>In use</source>
        <translation>In Verwendung</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="121"/>
        <source>New voice</source>
        <translation>Neue Stimme</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="122"/>
        <source>&amp;Use this voice</source>
        <translation>Diese Stimme &amp;verwenden</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="145"/>
        <source>Too few pairs to hold some out, so there is no preference accuracy to compare.</source>
        <translation>Zu wenige Paare, um einige zurückzuhalten, daher gibt es keine Präferenzgenauigkeit zum Vergleichen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="147"/>
        <source>No stories were held out, so there is no perplexity to compare; the continuations below still show the difference.</source>
        <translation>Es wurden keine Geschichten zurückgehalten, daher gibt es keine Perplexität zum Vergleichen; die Fortsetzungen unten zeigen den Unterschied trotzdem.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="152"/>
        <location filename="../ui/wizard/result_page.cpp" line="246"/>
        <source>Lower perplexity means the model predicts your held-out stories better.</source>
        <translation>Eine niedrigere Perplexität heißt, dass das Modell Ihre zurückgehaltenen Geschichten besser vorhersagt.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="153"/>
        <source>No stories were held out, so there is no perplexity to compare.</source>
        <translation>Es wurden keine Geschichten zurückgehalten, daher gibt es keine Perplexität zum Vergleichen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="155"/>
        <source>Preference accuracy is how often a model finds the continuation you chose more likely than the one you turned down, on pairs it never trained on.</source>
        <translation>Die Präferenzgenauigkeit sagt, wie oft ein Modell die von Ihnen gewählte Fortsetzung für wahrscheinlicher hält als die abgelehnte, bei Paaren, auf denen es nie trainiert hat.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="166"/>
        <source>%1: measuring preference accuracy…</source>
        <translation>%1: Präferenzgenauigkeit wird gemessen…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/wizard/result_page.cpp" line="174"/>
        <source>%1: preference accuracy %2 % on %n held-out pair(s)</source>
        <translation>
            <numerusform>%1: Präferenzgenauigkeit %2 % bei %n zurückgehaltenen Paar</numerusform>
            <numerusform>%1: Präferenzgenauigkeit %2 % bei %n zurückgehaltenen Paaren</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="183"/>
        <source>%1: preference accuracy could not be measured (%2)</source>
        <translation>%1: Präferenzgenauigkeit konnte nicht gemessen werden (%2)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="195"/>
        <source>%1: measuring…</source>
        <translation>%1: wird gemessen…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="202"/>
        <location filename="../ui/wizard/result_page.cpp" line="244"/>
        <location filename="../ui/wizard/result_page.cpp" line="245"/>
        <source>%1: perplexity %2</source>
        <translation>%1: Perplexität %2</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="206"/>
        <source>%1: could not be measured (%2)</source>
        <translation>%1: konnte nicht gemessen werden (%2)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="221"/>
        <source>Writing…</source>
        <translation>Schreibt…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="234"/>
        <source>Could not continue: %1</source>
        <translation>Fortsetzung nicht möglich: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunCharts</name>
    <message>
        <location filename="../ui/run_charts.cpp" line="19"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="37"/>
        <location filename="../ui/run_charts.cpp" line="45"/>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="39"/>
        <source>validation perplexity</source>
        <translation>Validierungs-Perplexität</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="45"/>
        <location filename="../ui/run_charts.cpp" line="47"/>
        <source>Training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="48"/>
        <location filename="../ui/run_charts.cpp" line="50"/>
        <source>Validation perplexity</source>
        <translation>Validierungs-Perplexität</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="48"/>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunLibrary</name>
    <message>
        <location filename="../ui/run_library.cpp" line="211"/>
        <source>The run is still training; pause it first.</source>
        <translation>Der Lauf trainiert noch; pausieren Sie ihn zuerst.</translation>
    </message>
    <message>
        <location filename="../ui/run_library.cpp" line="221"/>
        <source>The run was removed, but %1 still holds files Fabula did not write; they were left alone.</source>
        <translation>Der Lauf wurde entfernt, aber %1 enthält noch Dateien, die Fabula nicht geschrieben hat; sie wurden nicht angetastet.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunsDialog</name>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="42"/>
        <source>there is no such file</source>
        <translation>die Datei gibt es nicht</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="73"/>
        <location filename="../ui/runs_dialog.cpp" line="80"/>
        <source>Training runs</source>
        <translation>Trainingsläufe</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="89"/>
        <location filename="../ui/runs_dialog.cpp" line="213"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="91"/>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="93"/>
        <source>&amp;Open folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="158"/>
        <source>No curves: %1 cannot be read (%2).</source>
        <translation>Keine Kurven: %1 kann nicht gelesen werden (%2).</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/runs_dialog.cpp" line="160"/>
        <source>%n line(s) of %1 are not training events and were skipped.</source>
        <translation>
            <numerusform>%n Zeile von %1 ist kein Trainingsereignis und wurde übersprungen.</numerusform>
            <numerusform>%n Zeilen von %1 sind keine Trainingsereignisse und wurden übersprungen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="161"/>
        <source>No curves yet: %1 holds no training steps.</source>
        <translation>Noch keine Kurven: %1 enthält keine Trainingsschritte.</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="180"/>
        <location filename="../ui/runs_dialog.cpp" line="193"/>
        <source>Delete run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="181"/>
        <source>Delete the run “%1” with its checkpoints and model (or voice)?</source>
        <translation>Den Lauf „%1“ mit seinen Zwischenständen und seinem Modell (oder seiner Stimme) löschen?</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="184"/>
        <source>Only the files the run wrote in %1 are removed.</source>
        <translation>Nur die Dateien, die der Lauf in %1 geschrieben hat, werden entfernt.</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="185"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="206"/>
        <source>Training was interrupted</source>
        <translation>Training wurde unterbrochen</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/runs_dialog.cpp" line="207"/>
        <source>%n training run(s) stopped while Fabula or the computer was not running: %1. Resume from the last checkpoint?</source>
        <translation>
            <numerusform>%n Trainingslauf wurde angehalten, während Fabula oder der Computer nicht lief: %1. Vom letzten Zwischenstand aus fortsetzen?</numerusform>
            <numerusform>%n Trainingsläufe wurden angehalten, während Fabula oder der Computer nicht lief: %1. Vom letzten Zwischenstand aus fortsetzen?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="215"/>
        <source>&amp;Later</source>
        <translation>&amp;Später</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunsModel</name>
    <message>
        <location filename="../ui/runs_model.cpp" line="32"/>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="33"/>
        <source>Training</source>
        <translation>Trainiert</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="34"/>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="35"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="36"/>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="37"/>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="38"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="39"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="61"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="74"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="75"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="76"/>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="77"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="78"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
</context>
<context>
    <name>fabula::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="17"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="26"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="35"/>
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="37"/>
        <source>Anywhere</source>
        <translation>Irgendwo</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="38"/>
        <source>At the end of a sentence</source>
        <translation>Am Satzende</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="39"/>
        <source>At the end of a paragraph</source>
        <translation>Am Absatzende</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="41"/>
        <source>Continuations</source>
        <translation>Fortsetzungen</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="43"/>
        <source>&amp;Style:</source>
        <translation>&amp;Stil:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="44"/>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatur:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="45"/>
        <source>Top-&amp;k:</source>
        <translation>Top-&amp;k:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="46"/>
        <source>Top-&amp;p:</source>
        <translation>Top-&amp;p:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="47"/>
        <source>&amp;Repetition penalty:</source>
        <translation>&amp;Wiederholungsstrafe:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="48"/>
        <source>&amp;Length:</source>
        <translation>&amp;Länge:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="49"/>
        <source>&amp;End:</source>
        <translation>&amp;Ende:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="52"/>
        <source>Serif</source>
        <translation>Serifen</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="53"/>
        <source>Sans serif</source>
        <translation>Serifenlos</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="56"/>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="58"/>
        <location filename="../ui/settings_dialog.cpp" line="62"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="59"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="60"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="68"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="70"/>
        <source>&amp;Font:</source>
        <translation>Sch&amp;rift:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="71"/>
        <source>Font si&amp;ze:</source>
        <translation>Schrift&amp;größe:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="72"/>
        <source>The&amp;me:</source>
        <translation>&amp;Farbschema:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="73"/>
        <source>Lan&amp;guage:</source>
        <translation>Spra&amp;che:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="86"/>
        <source>Prec&amp;ision (at the next load):</source>
        <translation>Gena&amp;uigkeit (beim nächsten Laden):</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="74"/>
        <source>Model &amp;hub:</source>
        <translation>Modell-&amp;Hub:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="78"/>
        <source>Automatic (int8 for large models)</source>
        <translation>Automatisch (int8 für große Modelle)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="79"/>
        <source>fp32: exact</source>
        <translation>fp32: exakt</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="80"/>
        <source>bf16: half the memory</source>
        <translation>bf16: halber Speicher</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="81"/>
        <source>int8: a quarter of the memory, fastest on the CPU</source>
        <translation>int8: ein Viertel des Speichers, am schnellsten auf der CPU</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="82"/>
        <source>int8 keeps each weight of the model&apos;s projections in 8 bits: continuations come faster and need less memory, and read almost as the exact ones.</source>
        <translation>int8 speichert jedes Gewicht der Projektionen des Modells in 8 Bit: Fortsetzungen kommen schneller, brauchen weniger Speicher und lesen sich fast wie die exakten.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="84"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
</context>
<context>
    <name>fabula::ui::SettingsPage</name>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="59"/>
        <source>Base model and settings</source>
        <translation>Basismodell und Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="60"/>
        <source>The defaults are the reference recipe; most writers never need to change them.</source>
        <translation>Die Vorgaben sind das Referenzrezept; die meisten Schreibenden müssen sie nie ändern.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="81"/>
        <source>Automatic (mixed precision where the hardware has it)</source>
        <translation>Automatisch (gemischte Genauigkeit, wo die Hardware sie bietet)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="82"/>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="83"/>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="84"/>
        <source>fp16</source>
        <translation>fp16</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="87"/>
        <source>Automatic (the GPU when there is one)</source>
        <translation>Automatisch (die GPU, wenn es eine gibt)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="88"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="89"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="92"/>
        <source>Trains on all of them at once, each with its own batch of the size above.</source>
        <translation>Trainiert auf allen zugleich, jede mit einem eigenen Stapel der oben gewählten Größe.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="99"/>
        <source>These stories are not trained on; the last step compares the models on them.</source>
        <translation>Auf diesen Geschichten wird nicht trainiert; der letzte Schritt vergleicht die Modelle an ihnen.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="102"/>
        <source>Mia&apos;s voice</source>
        <translation>Mias Stimme</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="103"/>
        <source>My voice</source>
        <translation>Meine Stimme</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="108"/>
        <source>the model&apos;s context, at most 512</source>
        <translation>der Kontext des Modells, höchstens 512</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="125"/>
        <source>Pack stories into full blocks (nothing dropped)</source>
        <translation>Geschichten in volle Blöcke packen (nichts geht verloren)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="126"/>
        <source>Pad each story (the reference)</source>
        <translation>Jede Geschichte auffüllen (die Referenz)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="133"/>
        <source>&amp;Full</source>
        <translation>&amp;Vollständig</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="135"/>
        <source>LoR&amp;A (less memory; faster on a CPU)</source>
        <translation>LoR&amp;A (weniger Speicher; schneller auf einer CPU)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="137"/>
        <source>Trains a small voice (a LoRA adapter of a few megabytes) on top of the base model, which stays as it is: the app lists the voice under the model and switches to it at once.</source>
        <translation>Trainiert eine kleine Stimme (einen LoRA-Adapter von wenigen Megabyte) auf dem Basismodell, das unverändert bleibt: Die App führt die Stimme unter dem Modell und wechselt sofort zu ihr.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="151"/>
        <source>How to train</source>
        <translation>Wie trainiert wird</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="167"/>
        <source>Base &amp;model:</source>
        <translation>&amp;Basismodell:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="169"/>
        <source>Name of the new m&amp;odel:</source>
        <translation>&amp;Name des neuen Modells:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="170"/>
        <source>&amp;Learning rate:</source>
        <translation>&amp;Lernrate:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="171"/>
        <source>&amp;Epochs:</source>
        <translation>&amp;Epochen:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="172"/>
        <source>Ba&amp;tch size:</source>
        <translation>Ba&amp;tchgröße:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="173"/>
        <source>&amp;Precision:</source>
        <translation>&amp;Genauigkeit:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="174"/>
        <source>&amp;Device:</source>
        <translation>Ge&amp;rät:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="176"/>
        <source>&amp;Held out for the comparison:</source>
        <translation>&amp;Für den Vergleich zurückgehalten:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="178"/>
        <source>Show advanced sett&amp;ings</source>
        <translation>Erwe&amp;iterte Einstellungen zeigen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="180"/>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="183"/>
        <source>Block si&amp;ze (tokens):</source>
        <translation>Bl&amp;ockgröße (Token):</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="184"/>
        <source>&amp;Gradient accumulation:</source>
        <translation>Gradientena&amp;kkumulation:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="185"/>
        <source>Wa&amp;rm-up steps:</source>
        <translation>Aufwärmsc&amp;hritte:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="186"/>
        <source>&amp;Weight decay:</source>
        <translation>Gewichtsabnah&amp;me:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="187"/>
        <source>&amp;Seed:</source>
        <translation>&amp;Startwert:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="188"/>
        <source>Bat&amp;ching:</source>
        <translation>Batchbil&amp;dung:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="189"/>
        <source>&amp;Validation share:</source>
        <translation>Validier&amp;ungsanteil:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="242"/>
        <source>&amp;Use every GPU on this machine (%1)</source>
        <translation>Alle G&amp;PUs dieses Rechners nutzen (%1)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="250"/>
        <source>This computer has no GPU that training can use.</source>
        <translation>Dieser Computer hat keine GPU, die das Training nutzen kann.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="280"/>
        <source>No model is registered: add one with File ▸ Models…</source>
        <translation>Kein Modell ist eingetragen: Fügen Sie eines über Datei ▸ Modelle… hinzu</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="283"/>
        <source>Reading the model…</source>
        <translation>Das Modell wird gelesen…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="291"/>
        <source>This model cannot be used: %1</source>
        <translation>Dieses Modell kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="297"/>
        <source>%1, %2 on disk.</source>
        <translation>%1, %2 auf dem Datenträger.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="308"/>
        <source>trains all %1: about %2 of memory; the next page times it on this machine.</source>
        <translation>trainiert alle %1: etwa %2 Speicher; die nächste Seite misst die Dauer auf diesem Rechner.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="310"/>
        <source>trains %1 on top of the frozen model: about %2 of memory and about %3 % of full fine-tuning&apos;s time per step (an estimate from the computation each step needs).</source>
        <translation>trainiert %1 auf dem eingefrorenen Modell: etwa %2 Speicher und etwa %3 % der Zeit pro Schritt einer vollständigen Feinabstimmung (geschätzt aus dem Rechenaufwand jedes Schritts).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="321"/>
        <source>Full fine-tuning needs about %1, but only %2 is free: it will not fit unless you close other programs. LoRA needs about %3.</source>
        <translation>Die vollständige Feinabstimmung braucht etwa %1, aber nur %2 sind frei: Sie passt nur, wenn Sie andere Programme schließen. LoRA braucht etwa %3.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="325"/>
        <source>Full fine-tuning would need about %1, but only %2 is free, so LoRA is chosen.</source>
        <translation>Die vollständige Feinabstimmung würde etwa %1 brauchen, aber nur %2 sind frei, daher ist LoRA gewählt.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StoreClient</name>
    <message>
        <location filename="../ui/store_client.cpp" line="88"/>
        <source>the library file is read-only</source>
        <translation>die Bibliotheksdatei ist schreibgeschützt</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="89"/>
        <source>the disk is full</source>
        <translation>der Datenträger ist voll</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="90"/>
        <source>another program is using the library</source>
        <translation>ein anderes Programm verwendet die Bibliothek</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="91"/>
        <source>the library file is damaged or is not a Fabula library</source>
        <translation>die Bibliotheksdatei ist beschädigt oder keine Fabula-Bibliothek</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="92"/>
        <source>the library file cannot be opened</source>
        <translation>die Bibliotheksdatei kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="93"/>
        <source>the disk reported an error</source>
        <translation>der Datenträger hat einen Fehler gemeldet</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="94"/>
        <source>the library was made by a newer version of Fabula</source>
        <translation>die Bibliothek stammt von einer neueren Fabula-Version</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="95"/>
        <source>the draft no longer exists</source>
        <translation>den Entwurf gibt es nicht mehr</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="96"/>
        <source>a value was not accepted</source>
        <translation>ein Wert wurde nicht angenommen</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="99"/>
        <source>Could not save: %1 (%2).</source>
        <translation>Speichern nicht möglich: %1 (%2).</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StoriesPage</name>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="110"/>
        <source>Your stories</source>
        <translation>Ihre Geschichten</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="111"/>
        <source>Pick the stories the model should learn from: a folder, files (or drop them here), and drafts from your library.</source>
        <translation>Wählen Sie die Geschichten, von denen das Modell lernen soll: einen Ordner, Dateien (oder ziehen Sie sie hierher) und Entwürfe aus Ihrer Bibliothek.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="117"/>
        <source>Folders and files</source>
        <translation>Ordner und Dateien</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="119"/>
        <source>Add &amp;folder…</source>
        <translation>&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="120"/>
        <source>Add fi&amp;les…</source>
        <translation>&amp;Dateien hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="121"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="124"/>
        <source>A folder of stories</source>
        <translation>Ein Ordner mit Geschichten</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="128"/>
        <source>Story files</source>
        <translation>Geschichtendateien</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="129"/>
        <source>Stories (*.txt *.md *.jsonl *.csv)</source>
        <translation>Geschichten (*.txt *.md *.jsonl *.csv)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="138"/>
        <source>Drafts from your library</source>
        <translation>Entwürfe aus Ihrer Bibliothek</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="141"/>
        <location filename="../ui/wizard/stories_page.cpp" line="248"/>
        <source>No stories yet.</source>
        <translation>Noch keine Geschichten.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="146"/>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="150"/>
        <location filename="../ui/wizard/stories_page.cpp" line="154"/>
        <source>Story lengths in tokens</source>
        <translation>Länge der Geschichten in Token</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="164"/>
        <source>Folders and files:</source>
        <translation>Ordner und Dateien:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="167"/>
        <source>Drafts from your library:</source>
        <translation>Entwürfe aus Ihrer Bibliothek:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="172"/>
        <source>Problems (these are skipped):</source>
        <translation>Probleme (diese werden übersprungen):</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="185"/>
        <source>Could not read the stories: %1</source>
        <translation>Die Geschichten konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="202"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="254"/>
        <source>Reading the stories…</source>
        <translation>Die Geschichten werden gelesen…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="292"/>
        <source>Add a model first (File ▸ Models…): its tokenizer counts the tokens.</source>
        <translation>Fügen Sie zuerst ein Modell hinzu (Datei ▸ Modelle…): Sein Tokenizer zählt die Token.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="316"/>
        <source>Stories: %1, tokens: %2.</source>
        <translation>Geschichten: %1, Token: %2.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="318"/>
        <source>Duplicates left out, so they are not learnt twice: %1.</source>
        <translation>Doppelte ausgelassen, damit sie nicht zweimal gelernt werden: %1.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="319"/>
        <source>Empty stories left out: %1.</source>
        <translation>Leere Geschichten ausgelassen: %1.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="320"/>
        <source>There is nothing to train on yet.</source>
        <translation>Es gibt noch nichts zum Trainieren.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="368"/>
        <source>Story lengths in tokens (from the percentiles)</source>
        <translation>Länge der Geschichten in Token (aus den Perzentilen)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="370"/>
        <source>Stories</source>
        <translation>Geschichten</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="381"/>
        <source>tokens (from)</source>
        <translation>Token (ab)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="385"/>
        <source>stories</source>
        <translation>Geschichten</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StoryPanel</name>
    <message>
        <location filename="../ui/story_panel.cpp" line="128"/>
        <source>Story</source>
        <translation>Geschichte</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="129"/>
        <source>Series</source>
        <translation>Reihe</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="130"/>
        <source>Memory and lorebook of</source>
        <translation>Gedächtnis und Lorebook von</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="131"/>
        <source>This draft</source>
        <translation>Dieser Entwurf</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="132"/>
        <source>The series (shared by its drafts)</source>
        <translation>Die Reihe (von ihren Entwürfen geteilt)</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="133"/>
        <source>Series:</source>
        <translation>Reihe:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="134"/>
        <source>Edit the settings of:</source>
        <translation>Einstellungen bearbeiten für:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="135"/>
        <source>Memory (always at the start of the prompt):</source>
        <translation>Gedächtnis (immer am Anfang der Eingabe):</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="136"/>
        <source>Memory</source>
        <translation>Gedächtnis</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="137"/>
        <source>The premise, the main characters, the style…</source>
        <translation>Die Prämisse, die Hauptfiguren, der Stil…</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="138"/>
        <source>Author&apos;s note:</source>
        <translation>Autorennotiz:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="139"/>
        <source>Author&apos;s note depth</source>
        <translation>Tiefe der Autorennotiz</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="140"/>
        <source> paragraphs before the end</source>
        <translation> Absätze vor dem Ende</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="141"/>
        <source>Author&apos;s note</source>
        <translation>Autorennotiz</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="142"/>
        <source>e.g. Tense, dreamlike; the storm gets worse.</source>
        <translation>z. B. Angespannt, traumartig; der Sturm wird schlimmer.</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="143"/>
        <source>Lorebook:</source>
        <translation>Lorebook:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="144"/>
        <source>Search entries</source>
        <translation>Einträge durchsuchen</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="145"/>
        <source>Search the lorebook</source>
        <translation>Das Lorebook durchsuchen</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="146"/>
        <source>Lorebook entries</source>
        <translation>Lorebook-Einträge</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="147"/>
        <source>&amp;Add entry</source>
        <translation>Eintrag &amp;hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="148"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="149"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren…</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="150"/>
        <source>NovelAI, KoboldAI World Info, SillyTavern or Fabula lorebook files</source>
        <translation>Lorebook-Dateien von NovelAI, KoboldAI (World Info), SillyTavern oder Fabula</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="151"/>
        <source>Text of the selected entry</source>
        <translation>Text des gewählten Eintrags</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="152"/>
        <source>The text this entry puts into the prompt</source>
        <translation>Der Text, den dieser Eintrag in die Eingabe bringt</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="187"/>
        <source>No series</source>
        <translation>Keine Reihe</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="189"/>
        <source>New series…</source>
        <translation>Neue Reihe…</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="201"/>
        <source>New series</source>
        <translation>Neue Reihe</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="201"/>
        <source>Name of the series:</source>
        <translation>Name der Reihe:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="224"/>
        <source>New entry</source>
        <translation>Neuer Eintrag</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/story_panel.cpp" line="245"/>
        <source>Imported %n lorebook entry(s) from %1.</source>
        <translation>
            <numerusform>%n Lorebook-Eintrag aus %1 importiert.</numerusform>
            <numerusform>%n Lorebook-Einträge aus %1 importiert.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="249"/>
        <source>The lorebook was not imported: %1</source>
        <translation>Das Lorebook wurde nicht importiert: %1</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="257"/>
        <source>Import a lorebook</source>
        <translation>Ein Lorebook importieren</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="258"/>
        <source>Lorebooks (*.json *.jsonl *.lorebook);;All files (*)</source>
        <translation>Lorebooks (*.json *.jsonl *.lorebook);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StorySession</name>
    <message>
        <location filename="../ui/story_session.cpp" line="31"/>
        <source>The story settings were not saved: %1</source>
        <translation>Die Geschichtseinstellungen wurden nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::SuggestionController</name>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="46"/>
        <source>The model is still loading.</source>
        <translation>Das Modell wird noch geladen.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="46"/>
        <source>Load a model first.</source>
        <translation>Laden Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="50"/>
        <source>Open or create a draft first.</source>
        <translation>Öffnen oder erstellen Sie zuerst einen Entwurf.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="78"/>
        <source>Max new tokens is %1, but %2 reads only %3 tokens at a time: each continuation is limited to %4 tokens so that enough of your story still fits before it.</source>
        <translation>Die Länge ist auf %1 Token eingestellt, aber %2 liest nur %3 Token auf einmal: Jede Fortsetzung wird auf %4 Token begrenzt, damit davor noch genug von Ihrer Geschichte Platz hat.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="116"/>
        <source>The story settings could not be read, so this continuation sees the story alone. %1</source>
        <translation>Die Geschichtseinstellungen konnten nicht gelesen werden, daher sieht diese Fortsetzung nur die Geschichte. %1</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="146"/>
        <source>The model could not continue: %1</source>
        <translation>Das Modell konnte nicht fortsetzen: %1</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="163"/>
        <source>The model ended the text here. Try Regenerate.</source>
        <translation>Das Modell hat den Text hier beendet. Versuchen Sie „Neu erzeugen“.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="233"/>
        <source>%1 is back in the model list: it was removed while it was still loaded, and the continuations it writes are recorded with it.</source>
        <translation>%1 steht wieder in der Modellliste: Es wurde entfernt, während es noch geladen war, und die Fortsetzungen, die es schreibt, werden mit ihm gespeichert.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="290"/>
        <source>There is no continuation to rate yet.</source>
        <translation>Es gibt noch keine Fortsetzung zum Bewerten.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="309"/>
        <source>This continuation could not be recorded, so the rating was not kept.</source>
        <translation>Diese Fortsetzung konnte nicht gespeichert werden, daher wurde die Bewertung verworfen.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="312"/>
        <source>Rated: good</source>
        <translation>Bewertet: gut</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="313"/>
        <source>Rated: poor</source>
        <translation>Bewertet: schwach</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/suggestion_controller.cpp" line="314"/>
        <source>Rated: %n star(s)</source>
        <translation>
            <numerusform>Bewertet: %n Stern</numerusform>
            <numerusform>Bewertet: %n Sterne</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="316"/>
        <source>The rating was not saved. %1</source>
        <translation>Die Bewertung wurde nicht gespeichert. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::TrainingRun</name>
    <message>
        <location filename="../ui/training_run.cpp" line="180"/>
        <source>A line of %1 is not a training event and was skipped: %2</source>
        <translation>Eine Zeile von %1 ist kein Trainingsereignis und wurde übersprungen: %2</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="303"/>
        <source>Could not start %1.</source>
        <translation>%1 konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="306"/>
        <source>Training ended unexpectedly (exit code %1) in %2.</source>
        <translation>Das Training endete unerwartet (Exit-Code %1) in %2.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="335"/>
        <source>Could not write the training settings to %1.</source>
        <translation>Die Trainingseinstellungen konnten nicht nach %1 geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="346"/>
        <source>Could not write the training settings: %1</source>
        <translation>Die Trainingseinstellungen konnten nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="358"/>
        <source>The run&apos;s settings could not be kept, so it cannot be resumed: %1</source>
        <translation>Die Einstellungen des Laufs konnten nicht gespeichert werden, daher kann er nicht fortgesetzt werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="367"/>
        <source>fabula-cli was not found beside Fabula (looked for %1).</source>
        <translation>fabula-cli wurde neben Fabula nicht gefunden (gesucht: %1).</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="382"/>
        <source>Training a model</source>
        <translation>Ein Modell wird trainiert</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="393"/>
        <source>Could not start training: %1</source>
        <translation>Das Training konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="431"/>
        <source>A training run is still going in %1.</source>
        <translation>In %1 läuft noch ein Trainingslauf.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="440"/>
        <source>Could not create the run folder %1.</source>
        <translation>Der Ordner des Laufs %1 konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="486"/>
        <source>This run cannot be resumed: %1</source>
        <translation>Dieser Lauf kann nicht fortgesetzt werden: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::VoiceBox</name>
    <message>
        <location filename="../ui/voice_box.cpp" line="24"/>
        <source>Voice</source>
        <translation>Stimme</translation>
    </message>
    <message>
        <location filename="../ui/voice_box.cpp" line="25"/>
        <source>The voice the loaded model writes in: the base model alone, or a voice trained on your stories on top of it. Switching keeps the model loaded.</source>
        <translation>Die Stimme, mit der das geladene Modell schreibt: das Basismodell allein oder eine darauf mit Ihren Geschichten trainierte Stimme. Beim Wechseln bleibt das Modell geladen.</translation>
    </message>
    <message>
        <location filename="../ui/voice_box.cpp" line="42"/>
        <source>Voice: base model</source>
        <translation>Stimme: Basismodell</translation>
    </message>
    <message>
        <location filename="../ui/voice_box.cpp" line="47"/>
        <location filename="../ui/voice_box.cpp" line="50"/>
        <source>Voice: %1</source>
        <translation>Stimme: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::Wizard</name>
    <message>
        <location filename="../ui/wizard/wizard_state.cpp" line="67"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../ui/wizard/wizard_state.cpp" line="69"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location filename="../ui/wizard/wizard_state.cpp" line="70"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="46"/>
        <source>Fabula: write a story, and let GPT-2 continue it.</source>
        <translation>Fabula: Schreiben Sie eine Geschichte und lassen Sie GPT-2 sie fortsetzen.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="29"/>
        <source>Load the GPT-2 model in &lt;dir&gt;.</source>
        <translation>Das GPT-2-Modell in &lt;dir&gt; laden.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="32"/>
        <source>Use the library at &lt;path&gt; (or $FABULA_DATABASE).</source>
        <translation>Die Bibliothek unter &lt;path&gt; verwenden (oder $FABULA_DATABASE).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="36"/>
        <source>Render the window with a sample draft to &lt;png&gt; and exit.</source>
        <translation>Das Fenster mit einem Beispielentwurf als &lt;png&gt; speichern und beenden.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="40"/>
        <source>With --screenshot: render &lt;view&gt; instead of the window (%1).</source>
        <translation>Mit --screenshot: &lt;view&gt; statt des Fensters zeichnen (%1).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="52"/>
        <source>Text or Markdown files to open as new drafts (what the desktop passes).</source>
        <translation>Text- oder Markdown-Dateien, die als neue Entwürfe geöffnet werden (was die Arbeitsoberfläche übergibt).</translation>
    </message>
</context>
</TS>
