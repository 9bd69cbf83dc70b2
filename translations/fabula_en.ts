<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>fabula::ui::AppSettings</name>
    <message>
        <location filename="../ui/app_settings.cpp" line="23"/>
        <source>Faithful</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="24"/>
        <source>Balanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="25"/>
        <source>Wild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="26"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::DocumentManager</name>
    <message>
        <location filename="../ui/document_manager.cpp" line="107"/>
        <source>Your text is safe in this window and will be saved as soon as writing works again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::DownloadDialog</name>
    <message>
        <location filename="../ui/download_dialog.cpp" line="18"/>
        <source>Download GPT-2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="22"/>
        <source>Model size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="25"/>
        <source>GPT-2 small (124M parameters, %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="26"/>
        <source>GPT-2 medium (355M parameters, %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="27"/>
        <source>GPT-2 large (774M parameters, %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="28"/>
        <source>GPT-2 XL (1.5B parameters, %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="29"/>
        <source>&amp;Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="34"/>
        <source>The files come from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="36"/>
        <source>&amp;Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="38"/>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="58"/>
        <source>%1 of %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="69"/>
        <source>The download failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="75"/>
        <source>Cancelled. The next download resumes where this one stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="86"/>
        <source>Asking the hub for %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftEditor</name>
    <message>
        <location filename="../ui/editor.cpp" line="10"/>
        <source>Draft text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftFiles</name>
    <message>
        <location filename="../ui/draft_files.cpp" line="24"/>
        <location filename="../ui/draft_files.cpp" line="28"/>
        <location filename="../ui/draft_files.cpp" line="31"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="37"/>
        <source>Could not read %1: %2</source>
        <translation type="unfinished"></translation>
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
%n word · %2</numerusform>
            <numerusform>%1
%n words · %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/drafts_model.cpp" line="19"/>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_model.cpp" line="80"/>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftsPanel</name>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="17"/>
        <location filename="../ui/drafts_panel.cpp" line="18"/>
        <source>Search drafts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="22"/>
        <source>Drafts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="25"/>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="26"/>
        <source>Re&amp;name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="27"/>
        <source>D&amp;uplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="28"/>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="33"/>
        <source>&amp;Undo delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="71"/>
        <source>“%1” was moved to the trash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="71"/>
        <location filename="../ui/drafts_panel.cpp" line="98"/>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="106"/>
        <source>Rename draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="106"/>
        <source>Title:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::EngineWorker</name>
    <message>
        <location filename="../ui/engine_worker.cpp" line="114"/>
        <source>No model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::FindBar</name>
    <message>
        <location filename="../ui/find_bar.cpp" line="16"/>
        <location filename="../ui/find_bar.cpp" line="17"/>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="19"/>
        <location filename="../ui/find_bar.cpp" line="20"/>
        <source>Replace with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="21"/>
        <source>Match &amp;case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="23"/>
        <source>Find &amp;next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="24"/>
        <source>&amp;Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="25"/>
        <source>Replace &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="26"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="64"/>
        <source>Wrapped around</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="64"/>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/find_bar.cpp" line="89"/>
        <source>%n replaced</source>
        <translation>
            <numerusform>%n replaced</numerusform>
            <numerusform>%n replaced</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::HistoryDialog</name>
    <message>
        <location filename="../ui/history_dialog.cpp" line="18"/>
        <source>Version history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="20"/>
        <source>Saved versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="23"/>
        <source>Version text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="29"/>
        <source>&amp;Restore this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="40"/>
        <source>saved by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="41"/>
        <source>before a restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="42"/>
        <source>autosave</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/history_dialog.cpp" line="43"/>
        <source>%1 — %2, %n word(s)</source>
        <translation>
            <numerusform>%1 — %2, %n word</numerusform>
            <numerusform>%1 — %2, %n words</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::HubDownload</name>
    <message>
        <location filename="../ui/hub_download.cpp" line="95"/>
        <source>the file is shorter than expected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="253"/>
        <source>“%1” is not a model name on the hub; names look like gpt2 or openai-community/gpt2-large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="259"/>
        <source>The hub address “%1” is not an http(s) address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="263"/>
        <source>No folder was given to download %1 into.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="272"/>
        <source>Cannot create the folder %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="273"/>
        <source>a file has that name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="278"/>
        <source>Cannot write in the folder %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="298"/>
        <source>The hub has no public model named “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="302"/>
        <source>The hub answered “%1 %2” when asked about %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="308"/>
        <source>Cannot reach the hub at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="320"/>
        <source>The hub&apos;s answer about %1 is not a model&apos;s file list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="323"/>
        <source>%1 has no model.safetensors; Fabula can only use models saved in the safetensors format.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="327"/>
        <source>%1 has no %2, so it is not a complete GPT-2 model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="330"/>
        <source>The hub does not list the size and checksum of %1 in %2, so the download cannot be checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="368"/>
        <source>Not enough free space in %1: the model needs %2 more and %3 is free.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="425"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="454"/>
        <location filename="../ui/hub_download.cpp" line="478"/>
        <location filename="../ui/hub_download.cpp" line="533"/>
        <location filename="../ui/hub_download.cpp" line="609"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="491"/>
        <source>The hub sent the wrong part of %1; start the download again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="524"/>
        <source>%1 is corrupted (the hub sent more than the %2 bytes it lists); download it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="536"/>
        <source>the disk may be full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="561"/>
        <source>The hub sent %1 to an address Fabula does not follow: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="569"/>
        <source>The hub has no %1 for %2 (HTTP %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="571"/>
        <source>The hub answered “%1 %2” for %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="579"/>
        <source>the hub stopped sending data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="581"/>
        <source>Downloading %1 stopped: %2. Start the download again to continue where it stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="588"/>
        <source>%1 is corrupted (the hub sent %2 of the %3 bytes it lists); download it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="597"/>
        <source>%1 is corrupted (checksum mismatch); download it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="615"/>
        <source>Cannot rename %1 to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="39"/>
        <location filename="../ui/main_window.cpp" line="228"/>
        <source>Fabula</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="66"/>
        <location filename="../ui/main_window.cpp" line="228"/>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="104"/>
        <source>&amp;New draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="105"/>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="105"/>
        <source>Ctrl+Shift+I</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="106"/>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="106"/>
        <source>Ctrl+Shift+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="107"/>
        <source>&amp;Back up library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="108"/>
        <source>&amp;Models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="108"/>
        <source>Ctrl+M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="109"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="110"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="111"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="112"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="113"/>
        <source>&amp;Find and replace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="114"/>
        <source>Version &amp;history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="114"/>
        <source>Ctrl+H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="115"/>
        <source>&amp;Focus mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="115"/>
        <source>F11</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>&amp;Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="117"/>
        <source>&amp;Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="117"/>
        <source>Ctrl+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>&amp;Alternatives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>Ctrl+Shift+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="120"/>
        <source>Acc&amp;ept (Tab)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="120"/>
        <source>Ctrl+Shift+A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>Re&amp;ject (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>Ctrl+Shift+J</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>Ctrl+.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="123"/>
        <source>Good continuation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="123"/>
        <source>Ctrl+Shift+Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>Poor continuation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>Ctrl+Shift+Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="128"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="132"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="134"/>
        <source>&amp;Write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="137"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="145"/>
        <source>Save problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="150"/>
        <source>Continuation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="158"/>
        <source>Stars for this continuation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>Stars…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="164"/>
        <source>Alternative continuations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="187"/>
        <location filename="../ui/main_window.cpp" line="255"/>
        <source>No model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="228"/>
        <source>%1 — Fabula</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="235"/>
        <source>%n word(s)</source>
        <translation>
            <numerusform>%n word</numerusform>
            <numerusform>%n words</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="236"/>
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n character</numerusform>
            <numerusform>%n characters</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="240"/>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="245"/>
        <source>Loading… %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="269"/>
        <location filename="../ui/main_window.cpp" line="404"/>
        <source>%1 tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="310"/>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="311"/>
        <source>Edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="312"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="313"/>
        <source>Not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="341"/>
        <source>Export draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="342"/>
        <source>Plain text (*.txt);;Markdown (*.md);;OpenDocument text (*.odt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="345"/>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="349"/>
        <source>Import a text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="349"/>
        <source>Text (*.txt *.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="360"/>
        <source>Back up library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="361"/>
        <source>Fabula library (*.sqlite)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="365"/>
        <source>Library backed up to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="367"/>
        <source>The backup failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="390"/>
        <source>The Lighthouse Keeper&apos;s Daughter

The storm had been building since noon, a bruise-coloured wall of cloud that swallowed the horizon one mile at a time. Mara watched it from the gallery of the lighthouse, her hands wrapped around a mug of tea that had long gone cold.

Her father had kept this light for thirty-one years. He had never once let it go dark, not through the winter of the great ice, not through the night her mother left on the last ferry to the mainland. Now he lay in the narrow bed below, and the keeping of the light had fallen to her.

She climbed down the iron stairs, counting them as she always did, and found him awake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="399"/>
        <source> &quot;Is it coming?&quot; he asked, without opening his eyes. She told him it was, and that the lamp was trimmed and the glass was clean, and he smiled the way he used to when she was small.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="415"/>
        <source>The Lighthouse Keeper&apos;s Daughter</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelDialog</name>
    <message>
        <location filename="../ui/model_dialog.cpp" line="19"/>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="23"/>
        <source>Registered models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="30"/>
        <source>&amp;Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="31"/>
        <source>&amp;Remove from list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="32"/>
        <source>&amp;Add model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="33"/>
        <source>&amp;Download GPT-2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="63"/>
        <source>%1 cannot be used: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="66"/>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="91"/>
        <source>&lt;p&gt;&lt;b&gt;Fabula needs a GPT-2 model to continue your text.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A model is a folder with &lt;i&gt;config.json&lt;/i&gt;, &lt;i&gt;model.safetensors&lt;/i&gt;, &lt;i&gt;vocab.json&lt;/i&gt; and &lt;i&gt;merges.txt&lt;/i&gt;, as published on the Hugging Face hub. Download one here (about 0.5 GB for the smallest), or add a folder you already have.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="96"/>
        <source>Choose the model that continues your text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="103"/>
        <source>Add model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="105"/>
        <source>Checking %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelManager</name>
    <message>
        <location filename="../ui/model_manager.cpp" line="42"/>
        <source>Could not load the model in %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="43"/>
        <source>%1 is still loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::QuitGuard</name>
    <message>
        <location filename="../ui/quit_guard.cpp" line="48"/>
        <location filename="../ui/quit_guard.cpp" line="77"/>
        <source>Fabula</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="49"/>
        <source>Saving your text before quitting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="50"/>
        <location filename="../ui/quit_guard.cpp" line="89"/>
        <source>&amp;Keep writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="78"/>
        <source>Your latest changes are not saved, so quitting now would lose them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="83"/>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="85"/>
        <source>&amp;Save a copy as a file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="87"/>
        <source>&amp;Quit anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="113"/>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="117"/>
        <source>Save a copy of your text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="117"/>
        <source>Plain text (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="126"/>
        <source>The copy was not saved. %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="15"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="24"/>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="33"/>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="35"/>
        <source>Anywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="36"/>
        <source>At the end of a sentence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="37"/>
        <source>At the end of a paragraph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="39"/>
        <source>Continuations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="41"/>
        <source>&amp;Style:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="42"/>
        <source>&amp;Temperature:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="43"/>
        <source>Top-&amp;k:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="44"/>
        <source>Top-&amp;p:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="45"/>
        <source>&amp;Repetition penalty:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="46"/>
        <source>&amp;Length:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="47"/>
        <source>&amp;End:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="50"/>
        <source>Serif</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="51"/>
        <source>Sans serif</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="54"/>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="56"/>
        <location filename="../ui/settings_dialog.cpp" line="60"/>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="57"/>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="58"/>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="65"/>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="67"/>
        <source>&amp;Font:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="68"/>
        <source>Font si&amp;ze:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="69"/>
        <source>T&amp;heme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="70"/>
        <source>Lan&amp;guage (after restart):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="71"/>
        <source>Model &amp;hub:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::StoreClient</name>
    <message>
        <location filename="../ui/store_client.cpp" line="88"/>
        <source>the library file is read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="89"/>
        <source>the disk is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="90"/>
        <source>another program is using the library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="91"/>
        <source>the library file is damaged or is not a Fabula library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="92"/>
        <source>the library file cannot be opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="93"/>
        <source>the disk reported an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="94"/>
        <source>the library was made by a newer version of Fabula</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="95"/>
        <source>the draft no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="96"/>
        <source>a value was not accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="99"/>
        <source>Could not save: %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fabula::ui::SuggestionController</name>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="43"/>
        <source>The model is still loading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="43"/>
        <source>Load a model first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="47"/>
        <source>Open or create a draft first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="72"/>
        <source>Max new tokens is %1, but %2 reads only %3 tokens at a time: each continuation is limited to %4 tokens so that enough of your story still fits before it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="115"/>
        <source>The model could not continue: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="132"/>
        <source>The model ended the text here. Try Regenerate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="190"/>
        <source>%1 is back in the model list: it was removed while it was still loaded, and the continuations it writes are recorded with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="247"/>
        <source>There is no continuation to rate yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="266"/>
        <source>This continuation could not be recorded, so the rating was not kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="269"/>
        <source>Rated: good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="270"/>
        <source>Rated: poor</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/suggestion_controller.cpp" line="271"/>
        <source>Rated: %n star(s)</source>
        <translation>
            <numerusform>Rated: %n star</numerusform>
            <numerusform>Rated: %n stars</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="273"/>
        <source>The rating was not saved. %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="41"/>
        <source>Fabula: write a story, and let GPT-2 continue it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="29"/>
        <source>Load the GPT-2 model in &lt;dir&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="32"/>
        <source>Use the library at &lt;path&gt; (or $FABULA_DATABASE).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="36"/>
        <source>Render the window with a sample draft to &lt;png&gt; and exit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
