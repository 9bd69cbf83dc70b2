<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>fabula::ui::AppSettings</name>
    <message>
        <location filename="../ui/app_settings.cpp" line="23"/>
        <source>Faithful</source>
        <translation>Treu</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="24"/>
        <source>Balanced</source>
        <translation>Ausgewogen</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="25"/>
        <source>Wild</source>
        <translation>Wild</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="26"/>
        <source>Custom</source>
        <translation>Eigene</translation>
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
        <location filename="../ui/download_dialog.cpp" line="18"/>
        <source>Download GPT-2</source>
        <translation>GPT-2 herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="22"/>
        <source>Model size</source>
        <translation>Modellgröße</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="25"/>
        <source>GPT-2 small (124M parameters, %1)</source>
        <translation>GPT-2 small (124 Mio. Parameter, %1)</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="26"/>
        <source>GPT-2 medium (355M parameters, %1)</source>
        <translation>GPT-2 medium (355 Mio. Parameter, %1)</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="27"/>
        <source>GPT-2 large (774M parameters, %1)</source>
        <translation>GPT-2 large (774 Mio. Parameter, %1)</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="28"/>
        <source>GPT-2 XL (1.5B parameters, %1)</source>
        <translation>GPT-2 XL (1,5 Mrd. Parameter, %1)</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="29"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="34"/>
        <source>The files come from %1.</source>
        <translation>Die Dateien kommen von %1.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="36"/>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="38"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="58"/>
        <source>%1 of %2 (%3)</source>
        <translation>%1 von %2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="69"/>
        <source>The download failed: %1</source>
        <translation>Der Download ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="75"/>
        <source>Cancelled. The next download resumes where this one stopped.</source>
        <translation>Abgebrochen. Der nächste Download setzt dort fort, wo dieser aufgehört hat.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="86"/>
        <source>Asking the hub for %1…</source>
        <translation>Frage den Hub nach %1…</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftEditor</name>
    <message>
        <location filename="../ui/editor.cpp" line="10"/>
        <source>Draft text</source>
        <translation>Entwurfstext</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftFiles</name>
    <message>
        <location filename="../ui/draft_files.cpp" line="24"/>
        <location filename="../ui/draft_files.cpp" line="28"/>
        <location filename="../ui/draft_files.cpp" line="31"/>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="37"/>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftsModel</name>
    <message numerus="yes">
        <location filename="../ui/drafts_model.cpp" line="18"/>
        <source>%1
%n word(s) · %2</source>
        <translation>
            <numerusform>%1
%n Wort · %2</numerusform>
            <numerusform>%1
%n Wörter · %2</numerusform>
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
        <location filename="../ui/drafts_panel.cpp" line="17"/>
        <location filename="../ui/drafts_panel.cpp" line="18"/>
        <source>Search drafts</source>
        <translation>Entwürfe durchsuchen</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="22"/>
        <source>Drafts</source>
        <translation>Entwürfe</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="25"/>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="26"/>
        <source>Re&amp;name…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="27"/>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="28"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="33"/>
        <source>&amp;Undo delete</source>
        <translation>Löschen &amp;rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="71"/>
        <source>“%1” was moved to the trash.</source>
        <translation>„%1“ wurde in den Papierkorb verschoben.</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="71"/>
        <location filename="../ui/drafts_panel.cpp" line="98"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="106"/>
        <source>Rename draft</source>
        <translation>Entwurf umbenennen</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="106"/>
        <source>Title:</source>
        <translation>Titel:</translation>
    </message>
</context>
<context>
    <name>fabula::ui::EngineWorker</name>
    <message>
        <location filename="../ui/engine_worker.cpp" line="114"/>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::FindBar</name>
    <message>
        <location filename="../ui/find_bar.cpp" line="16"/>
        <location filename="../ui/find_bar.cpp" line="17"/>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="19"/>
        <location filename="../ui/find_bar.cpp" line="20"/>
        <source>Replace with</source>
        <translation>Ersetzen durch</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="21"/>
        <source>Match &amp;case</source>
        <translation>&amp;Groß-/Kleinschreibung</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="23"/>
        <source>Find &amp;next</source>
        <translation>&amp;Weitersuchen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="24"/>
        <source>&amp;Replace</source>
        <translation>&amp;Ersetzen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="25"/>
        <source>Replace &amp;all</source>
        <translation>&amp;Alle ersetzen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="26"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="64"/>
        <source>Wrapped around</source>
        <translation>Vom Anfang weitergesucht</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="64"/>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/find_bar.cpp" line="89"/>
        <source>%n replaced</source>
        <translation>
            <numerusform>%n ersetzt</numerusform>
            <numerusform>%n ersetzt</numerusform>
        </translation>
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
        <source>%1 — %2, %n word(s)</source>
        <translation>
            <numerusform>%1 — %2, %n Wort</numerusform>
            <numerusform>%1 — %2, %n Wörter</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::HubDownload</name>
    <message>
        <location filename="../ui/hub_download.cpp" line="95"/>
        <source>the file is shorter than expected</source>
        <translation>die Datei ist kürzer als erwartet</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="253"/>
        <source>“%1” is not a model name on the hub; names look like gpt2 or openai-community/gpt2-large.</source>
        <translation>„%1“ ist kein Modellname auf dem Hub; Namen sehen aus wie gpt2 oder openai-community/gpt2-large.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="259"/>
        <source>The hub address “%1” is not an http(s) address.</source>
        <translation>Die Hub-Adresse „%1“ ist keine http(s)-Adresse.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="263"/>
        <source>No folder was given to download %1 into.</source>
        <translation>Es wurde kein Ordner angegeben, in den %1 heruntergeladen werden soll.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="272"/>
        <source>Cannot create the folder %1: %2</source>
        <translation>Der Ordner %1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="273"/>
        <source>a file has that name</source>
        <translation>eine Datei hat diesen Namen</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="278"/>
        <source>Cannot write in the folder %1: %2</source>
        <translation>In den Ordner %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="298"/>
        <source>The hub has no public model named “%1”.</source>
        <translation>Der Hub hat kein öffentliches Modell namens „%1“.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="302"/>
        <source>The hub answered “%1 %2” when asked about %3.</source>
        <translation>Der Hub antwortete „%1 %2“ auf die Frage nach %3.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="308"/>
        <source>Cannot reach the hub at %1: %2</source>
        <translation>Der Hub unter %1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="320"/>
        <source>The hub&apos;s answer about %1 is not a model&apos;s file list.</source>
        <translation>Die Antwort des Hubs zu %1 ist keine Dateiliste eines Modells.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="323"/>
        <source>%1 has no model.safetensors; Fabula can only use models saved in the safetensors format.</source>
        <translation>%1 hat keine model.safetensors; Fabula kann nur Modelle im safetensors-Format verwenden.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="327"/>
        <source>%1 has no %2, so it is not a complete GPT-2 model.</source>
        <translation>%1 hat kein %2 und ist daher kein vollständiges GPT-2-Modell.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="330"/>
        <source>The hub does not list the size and checksum of %1 in %2, so the download cannot be checked.</source>
        <translation>Der Hub nennt Größe und Prüfsumme von %1 in %2 nicht, daher kann der Download nicht geprüft werden.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="368"/>
        <source>Not enough free space in %1: the model needs %2 more and %3 is free.</source>
        <translation>Nicht genug freier Platz in %1: Das Modell braucht %2 mehr und %3 ist frei.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="425"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="454"/>
        <location filename="../ui/hub_download.cpp" line="478"/>
        <location filename="../ui/hub_download.cpp" line="533"/>
        <location filename="../ui/hub_download.cpp" line="609"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="491"/>
        <source>The hub sent the wrong part of %1; start the download again.</source>
        <translation>Der Hub hat den falschen Teil von %1 geschickt; starten Sie den Download erneut.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="524"/>
        <source>%1 is corrupted (the hub sent more than the %2 bytes it lists); download it again.</source>
        <translation>%1 ist beschädigt (der Hub schickte mehr als die angegebenen %2 Bytes); laden Sie es erneut herunter.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="536"/>
        <source>the disk may be full</source>
        <translation>der Datenträger ist vielleicht voll</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="561"/>
        <source>The hub sent %1 to an address Fabula does not follow: %2</source>
        <translation>Der Hub hat %1 an eine Adresse umgeleitet, der Fabula nicht folgt: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="569"/>
        <source>The hub has no %1 for %2 (HTTP %3).</source>
        <translation>Der Hub hat kein %1 für %2 (HTTP %3).</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="571"/>
        <source>The hub answered “%1 %2” for %3.</source>
        <translation>Der Hub antwortete „%1 %2“ für %3.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="579"/>
        <source>the hub stopped sending data</source>
        <translation>der Hub hat aufgehört, Daten zu senden</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="581"/>
        <source>Downloading %1 stopped: %2. Start the download again to continue where it stopped.</source>
        <translation>Der Download von %1 wurde unterbrochen: %2. Starten Sie ihn erneut, um dort fortzusetzen.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="588"/>
        <source>%1 is corrupted (the hub sent %2 of the %3 bytes it lists); download it again.</source>
        <translation>%1 ist beschädigt (der Hub schickte %2 der angegebenen %3 Bytes); laden Sie es erneut herunter.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="597"/>
        <source>%1 is corrupted (checksum mismatch); download it again.</source>
        <translation>%1 ist beschädigt (Prüfsumme stimmt nicht); laden Sie es erneut herunter.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="615"/>
        <source>Cannot rename %1 to %2: %3</source>
        <translation>%1 kann nicht in %2 umbenannt werden: %3</translation>
    </message>
</context>
<context>
    <name>fabula::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="39"/>
        <location filename="../ui/main_window.cpp" line="228"/>
        <source>Fabula</source>
        <translation>Fabula</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="66"/>
        <location filename="../ui/main_window.cpp" line="228"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="104"/>
        <source>&amp;New draft</source>
        <translation>&amp;Neuer Entwurf</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="105"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="105"/>
        <source>Ctrl+Shift+I</source>
        <translation>Ctrl+Shift+I</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="106"/>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="106"/>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="107"/>
        <source>&amp;Back up library…</source>
        <translation>Bibliothek &amp;sichern…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="108"/>
        <source>&amp;Models…</source>
        <translation>&amp;Modelle…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="108"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="109"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="110"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="111"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="112"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="113"/>
        <source>&amp;Find and replace…</source>
        <translation>&amp;Suchen und ersetzen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="114"/>
        <source>Version &amp;history…</source>
        <translation>&amp;Versionsverlauf…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="114"/>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="115"/>
        <source>&amp;Focus mode</source>
        <translation>&amp;Fokusmodus</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="115"/>
        <source>F11</source>
        <translation>F11</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>&amp;Continue</source>
        <translation>&amp;Weiterschreiben</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="117"/>
        <source>&amp;Regenerate</source>
        <translation>&amp;Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="117"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>&amp;Alternatives</source>
        <translation>&amp;Alternativen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>Ctrl+Shift+Return</source>
        <translation>Ctrl+Shift+Return</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="120"/>
        <source>Acc&amp;ept (Tab)</source>
        <translation>Ü&amp;bernehmen (Tab)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="120"/>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>Re&amp;ject (Esc)</source>
        <translation>&amp;Verwerfen (Esc)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>Ctrl+Shift+J</source>
        <translation>Ctrl+Shift+J</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>&amp;Stop</source>
        <translation>&amp;Stopp</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>Ctrl+.</source>
        <translation>Ctrl+.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="123"/>
        <source>Good continuation</source>
        <translation>Gute Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="123"/>
        <source>Ctrl+Shift+Up</source>
        <translation>Ctrl+Shift+Up</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>Poor continuation</source>
        <translation>Schwache Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>Ctrl+Shift+Down</source>
        <translation>Ctrl+Shift+Down</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="128"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="132"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="134"/>
        <source>&amp;Write</source>
        <translation>&amp;Schreiben</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="137"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="145"/>
        <source>Save problem</source>
        <translation>Speicherproblem</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="150"/>
        <source>Continuation</source>
        <translation>Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="158"/>
        <source>Stars for this continuation</source>
        <translation>Sterne für diese Fortsetzung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>Stars…</source>
        <translation>Sterne…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="164"/>
        <source>Alternative continuations</source>
        <translation>Alternative Fortsetzungen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="187"/>
        <location filename="../ui/main_window.cpp" line="255"/>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="228"/>
        <source>%1 — Fabula</source>
        <translation>%1 — Fabula</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="235"/>
        <source>%n word(s)</source>
        <translation>
            <numerusform>%n Wort</numerusform>
            <numerusform>%n Wörter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="236"/>
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n Zeichen</numerusform>
            <numerusform>%n Zeichen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="240"/>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="245"/>
        <source>Loading… %1%</source>
        <translation>Lade… %1 %</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="269"/>
        <location filename="../ui/main_window.cpp" line="404"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="310"/>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="311"/>
        <source>Edited</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="312"/>
        <source>Saving…</source>
        <translation>Speichere…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="313"/>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="341"/>
        <source>Export draft</source>
        <translation>Entwurf exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="342"/>
        <source>Plain text (*.txt);;Markdown (*.md);;OpenDocument text (*.odt)</source>
        <translation>Reiner Text (*.txt);;Markdown (*.md);;OpenDocument-Text (*.odt)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="345"/>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="349"/>
        <source>Import a text</source>
        <translation>Text importieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="349"/>
        <source>Text (*.txt *.md)</source>
        <translation>Text (*.txt *.md)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="360"/>
        <source>Back up library</source>
        <translation>Bibliothek sichern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="361"/>
        <source>Fabula library (*.sqlite)</source>
        <translation>Fabula-Bibliothek (*.sqlite)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="365"/>
        <source>Library backed up to %1</source>
        <translation>Bibliothek gesichert nach %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="367"/>
        <source>The backup failed: %1</source>
        <translation>Die Sicherung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="390"/>
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
        <location filename="../ui/main_window.cpp" line="399"/>
        <source> &quot;Is it coming?&quot; he asked, without opening his eyes. She told him it was, and that the lamp was trimmed and the glass was clean, and he smiled the way he used to when she was small.</source>
        <translation> &quot;Is it coming?&quot; he asked, without opening his eyes. She told him it was, and that the lamp was trimmed and the glass was clean, and he smiled the way he used to when she was small.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="415"/>
        <source>The Lighthouse Keeper&apos;s Daughter</source>
        <translation>Die Tochter des Leuchtturmwärters</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelDialog</name>
    <message>
        <location filename="../ui/model_dialog.cpp" line="19"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="23"/>
        <source>Registered models</source>
        <translation>Registrierte Modelle</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="30"/>
        <source>&amp;Load</source>
        <translation>&amp;Laden</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="31"/>
        <source>&amp;Remove from list</source>
        <translation>Aus der Liste &amp;entfernen</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="32"/>
        <source>&amp;Add model folder…</source>
        <translation>Modell&amp;ordner hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="33"/>
        <source>&amp;Download GPT-2…</source>
        <translation>GPT-2 &amp;herunterladen…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="63"/>
        <source>%1 cannot be used: %2</source>
        <translation>%1 kann nicht verwendet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="66"/>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="91"/>
        <source>&lt;p&gt;&lt;b&gt;Fabula needs a GPT-2 model to continue your text.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A model is a folder with &lt;i&gt;config.json&lt;/i&gt;, &lt;i&gt;model.safetensors&lt;/i&gt;, &lt;i&gt;vocab.json&lt;/i&gt; and &lt;i&gt;merges.txt&lt;/i&gt;, as published on the Hugging Face hub. Download one here (about 0.5 GB for the smallest), or add a folder you already have.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Fabula braucht ein GPT-2-Modell, um Ihren Text fortzusetzen.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Ein Modell ist ein Ordner mit &lt;i&gt;config.json&lt;/i&gt;, &lt;i&gt;model.safetensors&lt;/i&gt;, &lt;i&gt;vocab.json&lt;/i&gt; und &lt;i&gt;merges.txt&lt;/i&gt;, wie auf dem Hugging Face Hub veröffentlicht. Laden Sie hier eines herunter (etwa 0,5 GB für das kleinste) oder fügen Sie einen vorhandenen Ordner hinzu.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="96"/>
        <source>Choose the model that continues your text.</source>
        <translation>Wählen Sie das Modell, das Ihren Text fortsetzt.</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="103"/>
        <source>Add model folder</source>
        <translation>Modellordner hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="105"/>
        <source>Checking %1…</source>
        <translation>Prüfe %1…</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelManager</name>
    <message>
        <location filename="../ui/model_manager.cpp" line="42"/>
        <source>Could not load the model in %1: %2</source>
        <translation>Das Modell in %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="43"/>
        <source>%1 is still loaded.</source>
        <translation>%1 ist weiterhin geladen.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::QuitGuard</name>
    <message>
        <location filename="../ui/quit_guard.cpp" line="48"/>
        <location filename="../ui/quit_guard.cpp" line="77"/>
        <source>Fabula</source>
        <translation>Fabula</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="49"/>
        <source>Saving your text before quitting…</source>
        <translation>Ihr Text wird vor dem Beenden gespeichert…</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="50"/>
        <location filename="../ui/quit_guard.cpp" line="89"/>
        <source>&amp;Keep writing</source>
        <translation>&amp;Weiterarbeiten</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="78"/>
        <source>Your latest changes are not saved, so quitting now would lose them.</source>
        <translation>Ihre letzten Änderungen sind nicht gespeichert; wenn Sie jetzt beenden, gehen sie verloren.</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="83"/>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="85"/>
        <source>&amp;Save a copy as a file…</source>
        <translation>Eine &amp;Kopie als Datei speichern…</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="87"/>
        <source>&amp;Quit anyway</source>
        <translation>&amp;Trotzdem beenden</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="113"/>
        <source>Untitled</source>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="117"/>
        <source>Save a copy of your text</source>
        <translation>Eine Kopie Ihres Textes speichern</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="117"/>
        <source>Plain text (*.txt)</source>
        <translation>Reiner Text (*.txt)</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="126"/>
        <source>The copy was not saved. %1</source>
        <translation>Die Kopie wurde nicht gespeichert. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="15"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="24"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="33"/>
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="35"/>
        <source>Anywhere</source>
        <translation>Irgendwo</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="36"/>
        <source>At the end of a sentence</source>
        <translation>Am Satzende</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="37"/>
        <source>At the end of a paragraph</source>
        <translation>Am Absatzende</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="39"/>
        <source>Continuations</source>
        <translation>Fortsetzungen</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="41"/>
        <source>&amp;Style:</source>
        <translation>&amp;Stil:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="42"/>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatur:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="43"/>
        <source>Top-&amp;k:</source>
        <translation>Top-&amp;k:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="44"/>
        <source>Top-&amp;p:</source>
        <translation>Top-&amp;p:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="45"/>
        <source>&amp;Repetition penalty:</source>
        <translation>&amp;Wiederholungsstrafe:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="46"/>
        <source>&amp;Length:</source>
        <translation>&amp;Länge:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="47"/>
        <source>&amp;End:</source>
        <translation>&amp;Ende:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="50"/>
        <source>Serif</source>
        <translation>Serifen</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="51"/>
        <source>Sans serif</source>
        <translation>Serifenlos</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="54"/>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="56"/>
        <location filename="../ui/settings_dialog.cpp" line="60"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="57"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="58"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="65"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="67"/>
        <source>&amp;Font:</source>
        <translation>&amp;Schrift:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="68"/>
        <source>Font si&amp;ze:</source>
        <translation>Schrift&amp;größe:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="69"/>
        <source>T&amp;heme:</source>
        <translation>&amp;Farbschema:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="70"/>
        <source>Lan&amp;guage (after restart):</source>
        <translation>&amp;Sprache (nach Neustart):</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="71"/>
        <source>Model &amp;hub:</source>
        <translation>Modell-&amp;Hub:</translation>
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
    <name>fabula::ui::SuggestionController</name>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="43"/>
        <source>The model is still loading.</source>
        <translation>Das Modell wird noch geladen.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="43"/>
        <source>Load a model first.</source>
        <translation>Laden Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="47"/>
        <source>Open or create a draft first.</source>
        <translation>Öffnen oder erstellen Sie zuerst einen Entwurf.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="72"/>
        <source>Max new tokens is %1, but %2 reads only %3 tokens at a time: each continuation is limited to %4 tokens so that enough of your story still fits before it.</source>
        <translation>Die Länge ist auf %1 Token eingestellt, aber %2 liest nur %3 Token auf einmal: Jede Fortsetzung wird auf %4 Token begrenzt, damit davor noch genug von Ihrer Geschichte Platz hat.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="115"/>
        <source>The model could not continue: %1</source>
        <translation>Das Modell konnte nicht fortsetzen: %1</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="132"/>
        <source>The model ended the text here. Try Regenerate.</source>
        <translation>Das Modell hat den Text hier beendet. Versuchen Sie „Neu erzeugen“.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="190"/>
        <source>%1 is back in the model list: it was removed while it was still loaded, and the continuations it writes are recorded with it.</source>
        <translation>%1 steht wieder in der Modellliste: Es wurde entfernt, während es noch geladen war, und die Fortsetzungen, die es schreibt, werden mit ihm gespeichert.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="247"/>
        <source>There is no continuation to rate yet.</source>
        <translation>Es gibt noch keine Fortsetzung zum Bewerten.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="266"/>
        <source>This continuation could not be recorded, so the rating was not kept.</source>
        <translation>Diese Fortsetzung konnte nicht gespeichert werden, daher wurde die Bewertung verworfen.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="269"/>
        <source>Rated: good</source>
        <translation>Bewertet: gut</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="270"/>
        <source>Rated: poor</source>
        <translation>Bewertet: schwach</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/suggestion_controller.cpp" line="271"/>
        <source>Rated: %n star(s)</source>
        <translation>
            <numerusform>Bewertet: %n Stern</numerusform>
            <numerusform>Bewertet: %n Sterne</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="273"/>
        <source>The rating was not saved. %1</source>
        <translation>Die Bewertung wurde nicht gespeichert. %1</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="41"/>
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
</context>
</TS>
