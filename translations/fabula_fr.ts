<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/model_manager.cpp" line="64"/>
        <source>This voice names no base model and fits none of the models in the list.</source>
        <translation>Cette voix n’indique aucun modèle de base et ne correspond à aucun des modèles de la liste.</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="66"/>
        <source>This voice was made for %1, which is not in the model list: add that model first, then choose the voice under it.</source>
        <translation>Cette voix a été créée pour %1, qui ne figure pas dans la liste des modèles&#xa0;: ajoutez d’abord ce modèle, puis choisissez la voix en dessous.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="71"/>
        <source>%1: cannot create the folder</source>
        <translation>%1&#xa0;: impossible de créer le dossier</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="77"/>
        <source>%1: cannot be read, skipped</source>
        <translation>%1&#xa0;: illisible, ignoré</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="91"/>
        <source>%1: a .jsonl or .csv file can only be used on its own, skipped</source>
        <translation>%1&#xa0;: un fichier .jsonl ou .csv ne peut être utilisé que seul, ignoré</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="93"/>
        <source>%1: not a .txt, .md, .jsonl or .csv file, skipped</source>
        <translation>%1&#xa0;: ni un fichier .txt, .md, .jsonl ni .csv, ignoré</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="99"/>
        <source>%1: cannot be written (%2), skipped</source>
        <translation>%1&#xa0;: impossible d’écrire (%2), ignoré</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="101"/>
        <source>the draft “%1”</source>
        <translation>le brouillon «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="101"/>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="52"/>
        <source>%1B parameters</source>
        <translation>%1 Md de paramètres</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="53"/>
        <source>%1M parameters</source>
        <translation>%1 M de paramètres</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="54"/>
        <source>%1K parameters</source>
        <translation>%1 k paramètres</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="65"/>
        <source>%1: cannot be copied to %2</source>
        <translation>%1&#xa0;: impossible de copier vers %2</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AbDialog</name>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="28"/>
        <source>Blind A/B test</source>
        <translation>Test A/B à l’aveugle</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="32"/>
        <source>First:</source>
        <translation>Premier&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="32"/>
        <source>Second:</source>
        <translation>Second&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="36"/>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="45"/>
        <source>Both write from the same place in your draft with the same seed; you see them as A and B in a random order, and learn which was which after you pick.</source>
        <translation>Les deux écrivent à partir du même endroit de votre brouillon avec la même graine&#x202f;; vous les voyez sous les noms A et B dans un ordre aléatoire, et vous apprenez lequel était lequel après votre choix.</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="50"/>
        <source>Continue</source>
        <translation>Continuer</translation>
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
        <translation>Choisir A</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="64"/>
        <source>Pick B</source>
        <translation>Choisir B</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="64"/>
        <location filename="../ui/ab_dialog.cpp" line="78"/>
        <source>Neither</source>
        <translation>Aucun des deux</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>Pairing</source>
        <translation>Confrontation</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>Picks</source>
        <translation>Choix</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>First wins</source>
        <translation>Victoires du premier</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="77"/>
        <source>95 % interval</source>
        <translation>Intervalle à 95&#x202f;%</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="81"/>
        <source>Comparison (&quot;neither&quot; is not counted in the win rates)</source>
        <translation>Comparaison («&#xa0;aucun des deux&#xa0;» n’est pas compté dans les taux de victoire)</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="103"/>
        <source>A: %1</source>
        <translation>A&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="104"/>
        <source>B: %1</source>
        <translation>B&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="117"/>
        <source>the model</source>
        <translation>le modèle</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="121"/>
        <source>%1 alone</source>
        <translation>%1 seul</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="136"/>
        <source>%1, temperature %2</source>
        <translation>%1, température %2</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="161"/>
        <source>%1 vs %2</source>
        <translation>%1 contre %2</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="163"/>
        <source>%1 %</source>
        <translation>%1&#x202f;%</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="163"/>
        <source>none yet</source>
        <translation>aucun pour l’instant</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="164"/>
        <source>%1 to %2 %</source>
        <translation>de %1 à %2&#x202f;%</translation>
    </message>
    <message>
        <location filename="../ui/ab_dialog.cpp" line="170"/>
        <source>The picks could not be read. %1</source>
        <translation>Impossible de lire les choix. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AbTest</name>
    <message>
        <location filename="../ui/ab_test.cpp" line="36"/>
        <source>Both continuations are still being written.</source>
        <translation>Les deux suites sont encore en cours d’écriture.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="40"/>
        <source>The model is still loading.</source>
        <translation>Le modèle est encore en cours de chargement.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="40"/>
        <source>Load a model first.</source>
        <translation>Chargez d’abord un modèle.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="44"/>
        <source>Open or create a draft first.</source>
        <translation>Ouvrez ou créez d’abord un brouillon.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="48"/>
        <source>Choose two different arms to compare.</source>
        <translation>Choisissez deux variantes différentes à comparer.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="52"/>
        <source>Accept or reject the suggestion in the draft first.</source>
        <translation>Acceptez ou rejetez d’abord la suggestion dans le brouillon.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="122"/>
        <source>The voice of &quot;%1&quot; could not be put on the model, so this round compares nothing.</source>
        <translation>La voix «&#xa0;%1&#xa0;» n’a pas pu être appliquée au modèle&#xa0;: cette manche ne compare donc rien.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="126"/>
        <source>The model could not continue: %1</source>
        <translation>Le modèle n’a pas pu continuer&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="129"/>
        <source>One of the two wrote nothing to compare. Press Continue again.</source>
        <translation>L’un des deux n’a rien écrit à comparer. Appuyez de nouveau sur «&#xa0;Continuer&#xa0;».</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="183"/>
        <source>The pick is kept, but nothing was inserted: the text before the cursor is no longer what both continued, or a suggestion is showing.</source>
        <translation>Le choix est conservé, mais rien n’a été inséré&#xa0;: le texte avant le curseur n’est plus celui que les deux ont continué, ou une suggestion est affichée.</translation>
    </message>
    <message>
        <location filename="../ui/ab_test.cpp" line="202"/>
        <source>The pick was not saved. %1</source>
        <translation>Le choix n’a pas été enregistré. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AboutDialog</name>
    <message>
        <location filename="../ui/about_dialog.cpp" line="35"/>
        <source>About Fabula</source>
        <translation>À propos de Fabula</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="38"/>
        <source>this program</source>
        <translation>ce programme</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="39"/>
        <location filename="../ui/about_dialog.cpp" line="40"/>
        <source>bundled</source>
        <translation>fourni</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="41"/>
        <location filename="../ui/about_dialog.cpp" line="42"/>
        <location filename="../ui/about_dialog.cpp" line="43"/>
        <location filename="../ui/about_dialog.cpp" line="44"/>
        <location filename="../ui/about_dialog.cpp" line="45"/>
        <source>system</source>
        <translation>du système</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="46"/>
        <location filename="../ui/about_dialog.cpp" line="47"/>
        <source>built in</source>
        <translation>intégré</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="51"/>
        <source>A writing assistant that continues your story with a language model on your computer.</source>
        <translation>Un assistant d’écriture qui continue votre histoire avec un modèle de langue sur votre ordinateur.</translation>
    </message>
    <message>
        <location filename="../ui/about_dialog.cpp" line="61"/>
        <source>The full license texts are in %1.</source>
        <translation>Les textes complets des licences se trouvent dans %1.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::AppSettings</name>
    <message>
        <location filename="../ui/app_settings.cpp" line="26"/>
        <source>Faithful</source>
        <translation>Fidèle</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="27"/>
        <source>Balanced</source>
        <translation>Équilibré</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="28"/>
        <source>Wild</source>
        <translation>Audacieux</translation>
    </message>
    <message>
        <location filename="../ui/app_settings.cpp" line="29"/>
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
</context>
<context>
    <name>fabula::ui::CliJob</name>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="43"/>
        <source>Could not start %1: %2</source>
        <translation>Impossible de lancer %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="57"/>
        <source>it crashed</source>
        <translation>il a planté</translation>
    </message>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="57"/>
        <source>it exited with code %1</source>
        <translation>il s’est arrêté avec le code %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/cli_job.cpp" line="66"/>
        <source>fabula-cli printed no result (%1)</source>
        <translation>fabula-cli n’a affiché aucun résultat (%1)</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ContextPreviewWorker</name>
    <message>
        <location filename="../ui/context_preview_worker.cpp" line="71"/>
        <source>Load a model to see its context.</source>
        <translation>Chargez un modèle pour voir son contexte.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ContextViewer</name>
    <message>
        <location filename="../ui/context_viewer.cpp" line="43"/>
        <source>Context</source>
        <translation>Contexte</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="44"/>
        <source>Prompt budget used</source>
        <translation>Place utilisée dans l’amorce</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="45"/>
        <source>%v of %m tokens</source>
        <translation>%v jetons sur %m</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="46"/>
        <source>Parts of the prompt</source>
        <translation>Parties de l’amorce</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="47"/>
        <source>Part</source>
        <translation>Partie</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="47"/>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="47"/>
        <source>Words</source>
        <translation>Mots</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="48"/>
        <source>Text the model will see</source>
        <translation>Texte que verra le modèle</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="68"/>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="69"/>
        <source>Lore</source>
        <translation>Entrées du lorebook</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="70"/>
        <source>Author&apos;s note</source>
        <translation>Note de l’auteur</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="71"/>
        <source>Story</source>
        <translation>Histoire</translation>
    </message>
    <message>
        <location filename="../ui/context_viewer.cpp" line="87"/>
        <location filename="../ui/context_viewer.cpp" line="91"/>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DashboardPage</name>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="23"/>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="24"/>
        <source>You can keep writing meanwhile; closing this window does not stop the training.</source>
        <translation>Vous pouvez continuer à écrire en attendant&#x202f;; fermer cette fenêtre n’arrête pas l’entraînement.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="26"/>
        <source>Perplexity says how surprised the model is by stories it has not trained on: lower means it predicts your writing better.</source>
        <translation>La perplexité mesure à quel point le modèle est surpris par des histoires sur lesquelles il ne s’est pas entraîné&#xa0;: plus elle est basse, mieux il prévoit votre écriture.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="29"/>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="38"/>
        <source>&amp;Pause</source>
        <translation>Mettre en pa&amp;use</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="40"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="42"/>
        <source>&amp;Cancel training…</source>
        <translation>&amp;Annuler l’entraînement…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/wizard/dashboard_page.cpp" line="73"/>
        <source>Training on %1 (%2, %n threads).</source>
        <translation>
            <numerusform>Entraînement sur %1 (%2, %n thread).</numerusform>
            <numerusform>Entraînement sur %1 (%2, %n threads).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="74"/>
        <source>step 0 of %1</source>
        <translation>étape 0 sur %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="81"/>
        <source>took %1</source>
        <translation>durée&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="82"/>
        <source>Done: the new model is ready. Next compares it with the base model.</source>
        <translation>Terminé&#xa0;: le nouveau modèle est prêt. «&#xa0;Suivant&#xa0;» le compare au modèle de base.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="83"/>
        <source>Training of “%1” has finished.</source>
        <translation>L’entraînement de «&#xa0;%1&#xa0;» est terminé.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="87"/>
        <source>Stopped at step %1. Resume continues from the last checkpoint.</source>
        <translation>Arrêté à l’étape %1. «&#xa0;Reprendre&#xa0;» repart du dernier point de reprise.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="90"/>
        <source>Training failed: %1</source>
        <translation>L’entraînement a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="91"/>
        <source>Training of “%1” failed.</source>
        <translation>L’entraînement de «&#xa0;%1&#xa0;» a échoué.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="149"/>
        <source>step %1 of %2 · epoch %3</source>
        <translation>étape %1 sur %2 · époque %3</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="150"/>
        <source>%1 tokens/s</source>
        <translation>%1 jetons/s</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="152"/>
        <source>%1 elapsed, %2 to go</source>
        <translation>%1 écoulé, encore %2</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="163"/>
        <source>Pausing after this step (saving a checkpoint)…</source>
        <translation>Pause après cette étape (enregistrement d’un point de reprise)…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="164"/>
        <source>Paused. Resume continues exactly where it stopped.</source>
        <translation>En pause. «&#xa0;Reprendre&#xa0;» repart exactement là où il s’est arrêté.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="169"/>
        <source>Cancel training</source>
        <translation>Annuler l’entraînement</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="170"/>
        <source>Stop training “%1”? You can keep the run to resume it later, or delete it.</source>
        <translation>Arrêter l’entraînement de «&#xa0;%1&#xa0;»&#x202f;? Vous pouvez garder la session pour la reprendre plus tard, ou la supprimer.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="172"/>
        <source>Stop and &amp;keep the run</source>
        <translation>Arrêter et &amp;garder la session</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="173"/>
        <source>Stop and &amp;delete the run</source>
        <translation>Arrêter et &amp;supprimer la session</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="174"/>
        <source>&amp;Go on training</source>
        <translation>&amp;Poursuivre l’entraînement</translation>
    </message>
    <message>
        <location filename="../ui/wizard/dashboard_page.cpp" line="202"/>
        <location filename="../ui/wizard/dashboard_page.cpp" line="221"/>
        <source>The run was deleted.</source>
        <translation>La session a été supprimée.</translation>
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
        <translation>Votre texte est en sécurité dans cette fenêtre et sera enregistré dès que l’écriture fonctionnera de nouveau.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DownloadDialog</name>
    <message>
        <location filename="../ui/download_dialog.cpp" line="23"/>
        <source>Download a model</source>
        <translation>Télécharger un modèle</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="27"/>
        <source>&lt;p&gt;These are base models: they continue the text you give them, in its voice. Chat and instruct models (their names end in “Instruct” or “Chat”) were trained to answer requests, so they write differently, often as an assistant replying rather than as your story going on.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Ce sont des modèles de base&#xa0;: ils continuent le texte que vous leur donnez, dans sa voix. Les modèles de conversation et d’instruction (leur nom se termine par «&#xa0;Instruct&#xa0;» ou «&#xa0;Chat&#xa0;») ont été entraînés à répondre à des demandes&#x202f;; ils écrivent donc autrement, souvent comme un assistant qui répond plutôt que comme la suite de votre histoire.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="37"/>
        <source>Models to download</source>
        <translation>Modèles à télécharger</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="47"/>
        <location filename="../ui/download_dialog.cpp" line="50"/>
        <source>Another repository on the hub</source>
        <translation>Un autre dépôt sur le hub</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="52"/>
        <source>owner/name</source>
        <translation>propriétaire/nom</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="53"/>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="56"/>
        <source>Revision</source>
        <translation>Révision</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="58"/>
        <source>&amp;Repository:</source>
        <translation>&amp;Dépôt&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="59"/>
        <source>Re&amp;vision:</source>
        <translation>Ré&amp;vision&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="60"/>
        <source>Only repositories with safetensors weights can be used.</source>
        <translation>Seuls les dépôts dont les poids sont au format safetensors sont utilisables.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="65"/>
        <source>Access token</source>
        <translation>Jeton d’accès</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="66"/>
        <source>only for gated or private models</source>
        <translation>uniquement pour les modèles à accès restreint ou privés</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="68"/>
        <source>Access &amp;token:</source>
        <translation>&amp;Jeton d’accès&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="74"/>
        <source>The files come from %1.</source>
        <translation>Les fichiers proviennent de %1.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="76"/>
        <source>&amp;Download</source>
        <translation>&amp;Télécharger</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="78"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="103"/>
        <source>%1 of %2 (%3)</source>
        <translation>%1 sur %2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="112"/>
        <source>The download failed: %1</source>
        <translation>Le téléchargement a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="116"/>
        <source>Cancelled. The next download resumes where this one stopped.</source>
        <translation>Annulé. Le prochain téléchargement reprendra là où celui-ci s’est arrêté.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/download_dialog.cpp" line="142"/>
        <source>%1: %n file(s), %2.</source>
        <translation>
            <numerusform>%1&#xa0;: %n fichier, %2.</numerusform>
            <numerusform>%1&#xa0;: %n fichiers, %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="144"/>
        <source>License: %1.</source>
        <translation>Licence&#xa0;: %1.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="145"/>
        <source>Gated: the hub checks your token.</source>
        <translation>Accès restreint&#xa0;: le hub vérifie votre jeton.</translation>
    </message>
    <message>
        <location filename="../ui/download_dialog.cpp" line="159"/>
        <source>Asking the hub for %1…</source>
        <translation>Interrogation du hub pour %1…</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftEditor</name>
    <message>
        <location filename="../ui/editor.cpp" line="10"/>
        <location filename="../ui/editor.cpp" line="102"/>
        <source>Draft text</source>
        <translation>Texte du brouillon</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftFiles</name>
    <message>
        <location filename="../ui/draft_files.cpp" line="42"/>
        <location filename="../ui/draft_files.cpp" line="46"/>
        <location filename="../ui/draft_files.cpp" line="49"/>
        <source>Could not write %1: %2</source>
        <translation>Impossible d’écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="55"/>
        <location filename="../ui/draft_files.cpp" line="103"/>
        <source>Could not read %1: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="65"/>
        <source>%1 looks like a binary file, not text; nothing was imported.</source>
        <translation>%1 ressemble à un fichier binaire, pas à du texte&#x202f;; rien n’a été importé.</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="67"/>
        <source>%1 is not UTF-8 text; save it as UTF-8 and import it again. Nothing was imported.</source>
        <translation>%1 n’est pas du texte UTF-8&#x202f;; enregistrez-le en UTF-8 et importez-le de nouveau. Rien n’a été importé.</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="86"/>
        <source>%1 already exists and is not a Fabula story file, so it was left as it is: the draft&apos;s memory, author&apos;s note and lorebook were not written beside the draft. Move or rename that file and export again to keep them with it.</source>
        <translation>%1 existe déjà et n’est pas un fichier d’histoire de Fabula&#x202f;; il est donc laissé tel quel&#xa0;: la mémoire, la note de l’auteur et le lorebook du brouillon n’ont pas été écrits à côté. Déplacez ou renommez ce fichier et exportez à nouveau pour les garder avec le brouillon.</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="93"/>
        <source>Could not write the story settings: %1</source>
        <translation>Impossible d’écrire les réglages de l’histoire&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/draft_files.cpp" line="112"/>
        <source>The story settings were not imported: %1</source>
        <translation>Les réglages de l’histoire n’ont pas été importés&#xa0;: %1</translation>
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
%Ln mot · %2</numerusform>
            <numerusform>%1
%Ln mots · %2</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/drafts_model.cpp" line="19"/>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <location filename="../ui/drafts_model.cpp" line="80"/>
        <source>%1 (copy)</source>
        <translation>%1 (copie)</translation>
    </message>
</context>
<context>
    <name>fabula::ui::DraftsPanel</name>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="78"/>
        <location filename="../ui/drafts_panel.cpp" line="79"/>
        <source>Search drafts</source>
        <translation>Rechercher dans les brouillons</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="80"/>
        <source>Drafts</source>
        <translation>Brouillons</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="81"/>
        <source>&amp;New</source>
        <translation>&amp;Nouveau</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="82"/>
        <source>&amp;Rename…</source>
        <translation>&amp;Renommer…</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="83"/>
        <source>Du&amp;plicate</source>
        <translation>D&amp;upliquer</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="84"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="85"/>
        <source>&amp;Undo delete</source>
        <translation>&amp;Annuler la suppression</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="86"/>
        <source>“%1” was moved to the trash.</source>
        <translation>«&#xa0;%1&#xa0;» a été placé dans la corbeille.</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="87"/>
        <location filename="../ui/drafts_panel.cpp" line="120"/>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="128"/>
        <source>Rename draft</source>
        <translation>Renommer le brouillon</translation>
    </message>
    <message>
        <location filename="../ui/drafts_panel.cpp" line="128"/>
        <source>Title:</source>
        <translation>Titre&#xa0;:</translation>
    </message>
</context>
<context>
    <name>fabula::ui::EngineWorker</name>
    <message>
        <location filename="../ui/engine_worker.cpp" line="111"/>
        <location filename="../ui/engine_worker.cpp" line="149"/>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n’est chargé.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::EstimatePage</name>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="78"/>
        <source>How long it will take</source>
        <translation>Combien de temps cela prendra</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="79"/>
        <source>A few real training steps measure this machine.</source>
        <translation>Quelques vraies étapes d’entraînement mesurent cette machine.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="81"/>
        <source>&amp;Start training</source>
        <translation>&amp;Lancer l’entraînement</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="95"/>
        <source>Train &amp;one epoch</source>
        <translation>Entraîner &amp;une époque</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="97"/>
        <source>Use s&amp;horter blocks (128 tokens)</source>
        <translation>Utiliser des blocs plus &amp;courts (128 jetons)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="112"/>
        <source>Could not measure this machine: %1</source>
        <translation>Impossible de mesurer cette machine&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="133"/>
        <source>Setting the held-out stories aside…</source>
        <translation>Mise de côté des histoires réservées…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="151"/>
        <source>Disk: the checkpoints need about %1; %2 are free.</source>
        <translation>Disque&#xa0;: les points de reprise demandent environ %1&#x202f;; %2 sont libres.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="152"/>
        <source>Disk: the checkpoints need about %1, but only %2 are free. Free some space first.</source>
        <translation>Disque&#xa0;: les points de reprise demandent environ %1, mais seuls %2 sont libres. Libérez d’abord de l’espace.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="166"/>
        <source>Timing a few training steps on this machine…</source>
        <translation>Chronométrage de quelques étapes d’entraînement sur cette machine…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="180"/>
        <source>Measured on %1: %2 s per step.</source>
        <translation>Mesuré sur %1&#xa0;: %2 s par étape.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/wizard/estimate_page.cpp" line="181"/>
        <source>About %1 per epoch (%n steps), %2 in total.</source>
        <translation>
            <numerusform>Environ %1 par époque (%n étape), %2 au total.</numerusform>
            <numerusform>Environ %1 par époque (%n étapes), %2 au total.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="183"/>
        <source>Memory: training needs about %1.</source>
        <translation>Mémoire&#xa0;: l’entraînement demande environ %1.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="186"/>
        <source>Full fine-tuning would take about %1 in total and need about %2 of memory (an estimate from the computation each step needs).</source>
        <translation>L’affinage complet prendrait environ %1 au total et demanderait environ %2 de mémoire (une estimation d’après le calcul qu’exige chaque étape).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="190"/>
        <source>LoRA would take about %1 in total and need about %2 of memory (an estimate from the computation each step needs).</source>
        <translation>LoRA prendrait environ %1 au total et demanderait environ %2 de mémoire (une estimation d’après le calcul qu’exige chaque étape).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/estimate_page.cpp" line="198"/>
        <source>That is a long time: this computer trains on its processor, which is much slower than a graphics card. Fewer epochs, a smaller model or shorter blocks make it quicker; you can also keep writing while it trains, and pause it at any time.</source>
        <translation>C’est long&#xa0;: cet ordinateur s’entraîne sur son processeur, bien plus lent qu’une carte graphique. Moins d’époques, un modèle plus petit ou des blocs plus courts accélèrent les choses&#x202f;; vous pouvez aussi continuer à écrire pendant l’entraînement, et le mettre en pause à tout moment.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::FeedbackDialog</name>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="41"/>
        <source>Feedback for training</source>
        <translation>Retours pour l’entraînement</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Use</source>
        <translation>Utiliser</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Draft</source>
        <translation>Brouillon</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Accepted (SFT)</source>
        <translation>Acceptées (SFT)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="44"/>
        <source>Pairs (DPO)</source>
        <translation>Paires (DPO)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="45"/>
        <source>Rated (KTO)</source>
        <translation>Notées (KTO)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="45"/>
        <source>Deleted</source>
        <translation>Supprimés</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Set</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Context (end)</source>
        <translation>Contexte (fin)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Text (chosen)</source>
        <translation>Texte (choisi)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="47"/>
        <source>Rejected</source>
        <translation>Rejeté</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="55"/>
        <source>Drafts and what each gives</source>
        <translation>Les brouillons et ce que chacun apporte</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="63"/>
        <source>Items of the chosen draft</source>
        <translation>Éléments du brouillon choisi</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="66"/>
        <source>Untick a draft to leave all of its feedback out. Deleting an item only keeps it out of training; your ratings and text stay.</source>
        <translation>Décochez un brouillon pour écarter tous ses retours. Supprimer un élément l’écarte seulement de l’entraînement&#x202f;; vos notes et votre texte restent.</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="73"/>
        <source>&amp;Delete item</source>
        <translation>&amp;Supprimer l’élément</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="74"/>
        <source>&amp;Undo delete</source>
        <translation>&amp;Annuler la suppression</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="112"/>
        <source>Use this draft&apos;s feedback</source>
        <translation>Utiliser les retours de ce brouillon</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="113"/>
        <source>(no draft)</source>
        <translation>(aucun brouillon)</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="114"/>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="127"/>
        <source>Will be used: %1 accepted continuations (SFT), %2 pairs (DPO), %3 rated continuations (KTO).</source>
        <translation>Seront utilisées&#xa0;: %1 suites acceptées (SFT), %2 paires (DPO), %3 suites notées (KTO).</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="165"/>
        <source>SFT</source>
        <translation>SFT</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="167"/>
        <source>Pair</source>
        <translation>Paire</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="169"/>
        <source>KTO, good</source>
        <translation>KTO, bonne</translation>
    </message>
    <message>
        <location filename="../ui/feedback_dialog.cpp" line="169"/>
        <source>KTO, bad</source>
        <translation>KTO, mauvaise</translation>
    </message>
</context>
<context>
    <name>fabula::ui::FeedbackNote</name>
    <message numerus="yes">
        <location filename="../ui/feedback_note.cpp" line="35"/>
        <source>%n new piece(s) of feedback since the model last learnt from it: Training ▸ Learn from my feedback… teaches them to it.</source>
        <translation>
            <numerusform>%n nouveau retour depuis le dernier apprentissage du modèle&#xa0;: Entraînement ▸ Apprendre de mes retours… le lui enseigne.</numerusform>
            <numerusform>%n nouveaux retours depuis le dernier apprentissage du modèle&#xa0;: Entraînement ▸ Apprendre de mes retours… les lui enseigne.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::FeedbackPage</name>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="53"/>
        <source>Your feedback</source>
        <translation>Vos retours</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="54"/>
        <source>What the model learns from: the continuations you accepted, rejected, edited and rated.</source>
        <translation>Ce dont le modèle apprend&#xa0;: les suites que vous avez acceptées, rejetées, modifiées et notées.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="55"/>
        <location filename="../ui/wizard/feedback_page.cpp" line="102"/>
        <source>Collecting your feedback…</source>
        <translation>Collecte de vos retours…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="60"/>
        <source>Preferences (DPO): learns to prefer what you chose over what you turned down.</source>
        <translation>Préférences (DPO)&#xa0;: apprend à préférer ce que vous avez choisi à ce que vous avez écarté.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="61"/>
        <source>Accepted text (SFT): learns to write like the continuations you kept, with your edits.</source>
        <translation>Texte accepté (SFT)&#xa0;: apprend à écrire comme les suites que vous avez gardées, avec vos retouches.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="62"/>
        <source>Ratings (KTO): learns from thumbs and stars, good and bad, without needing pairs.</source>
        <translation>Notes (KTO)&#xa0;: apprend des pouces et des étoiles, bons comme mauvais, sans avoir besoin de paires.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="68"/>
        <source>Keep my voice: also keep learning from the stories of the first page</source>
        <translation>Garder ma voix&#xa0;: continuer aussi d’apprendre des histoires de la première page</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="135"/>
        <source>Your feedback could not be exported: %1</source>
        <translation>Impossible d’exporter vos retours&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="145"/>
        <source>From your feedback: %1 accepted continuations (SFT), %2 pairs (DPO; %3 to train on, %4 held out to measure the result), %5 rated continuations (KTO).</source>
        <translation>D’après vos retours&#xa0;: %1 suites acceptées (SFT), %2 paires (DPO&#x202f;; %3 pour l’entraînement, %4 réservées pour mesurer le résultat), %5 suites notées (KTO).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/feedback_page.cpp" line="159"/>
        <source>There is nothing to learn from yet: accept, reject or rate some continuations first.</source>
        <translation>Il n’y a encore rien à apprendre&#xa0;: acceptez, rejetez ou notez d’abord quelques suites.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::FindBar</name>
    <message>
        <location filename="../ui/find_bar.cpp" line="43"/>
        <location filename="../ui/find_bar.cpp" line="44"/>
        <source>Find</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="45"/>
        <location filename="../ui/find_bar.cpp" line="46"/>
        <source>Replace with</source>
        <translation>Remplacer par</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="47"/>
        <source>Match &amp;case</source>
        <translation>Respecter la &amp;casse</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="48"/>
        <source>Find &amp;next</source>
        <translation>&amp;Suivant</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="49"/>
        <source>&amp;Replace</source>
        <translation>&amp;Remplacer</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="50"/>
        <source>Replace &amp;all</source>
        <translation>Remplacer &amp;tout</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="51"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="82"/>
        <source>Wrapped around</source>
        <translation>Recherche reprise au début</translation>
    </message>
    <message>
        <location filename="../ui/find_bar.cpp" line="82"/>
        <source>Not found</source>
        <translation>Introuvable</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/find_bar.cpp" line="107"/>
        <source>%n replaced</source>
        <translation>
            <numerusform>%n remplacement</numerusform>
            <numerusform>%n remplacements</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::FineTuneWizard</name>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="29"/>
        <source>Fine-tune on my stories</source>
        <translation>Affiner sur mes histoires</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="62"/>
        <source>Learn from my feedback</source>
        <translation>Apprendre de mes retours</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="63"/>
        <source>Your stories: the model keeps to their voice while it learns from your feedback, and a few are held out to measure it.</source>
        <translation>Vos histoires&#xa0;: le modèle garde leur voix pendant qu’il apprend de vos retours, et quelques-unes sont réservées pour le mesurer.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="98"/>
        <source>Use this model</source>
        <translation>Utiliser ce modèle</translation>
    </message>
    <message>
        <location filename="../ui/wizard/fine_tune_wizard.cpp" line="98"/>
        <source>The new model could not be registered: %1</source>
        <translation>Impossible d’enregistrer le nouveau modèle&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::HistoryDialog</name>
    <message>
        <location filename="../ui/history_dialog.cpp" line="18"/>
        <source>Version history</source>
        <translation>Historique des versions</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="20"/>
        <source>Saved versions</source>
        <translation>Versions enregistrées</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="23"/>
        <source>Version text</source>
        <translation>Texte de la version</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="29"/>
        <source>&amp;Restore this version</source>
        <translation>&amp;Restaurer cette version</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="40"/>
        <source>saved by hand</source>
        <translation>enregistrée à la main</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="41"/>
        <source>before a restore</source>
        <translation>avant une restauration</translation>
    </message>
    <message>
        <location filename="../ui/history_dialog.cpp" line="42"/>
        <source>autosave</source>
        <translation>enregistrement automatique</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/history_dialog.cpp" line="43"/>
        <source>%1 — %2, %Ln word(s)</source>
        <translation>
            <numerusform>%1 — %2, %Ln mot</numerusform>
            <numerusform>%1 — %2, %Ln mots</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fabula::ui::HubCatalogModel</name>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="61"/>
        <source>%1, revision %2</source>
        <translation>%1, révision %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="64"/>
        <source>Accept the license on the model&apos;s hub page, then enter an access token below.</source>
        <translation>Acceptez la licence sur la page du modèle sur le hub, puis saisissez un jeton d’accès ci-dessous.</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="79"/>
        <source>about %1</source>
        <translation>environ %1</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="82"/>
        <source>gated: needs a token</source>
        <translation>accès restreint&#xa0;: demande un jeton</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="82"/>
        <source>open</source>
        <translation>libre</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="90"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="91"/>
        <source>Family</source>
        <translation>Famille</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="92"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="93"/>
        <source>Download</source>
        <translation>Téléchargement</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="94"/>
        <source>License</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../ui/hub_catalog.cpp" line="95"/>
        <source>Access</source>
        <translation>Accès</translation>
    </message>
</context>
<context>
    <name>fabula::ui::HubDownload</name>
    <message>
        <location filename="../ui/hub_download.cpp" line="123"/>
        <source>the file is shorter than expected</source>
        <translation>le fichier est plus court que prévu</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="288"/>
        <source>“%1” is not a model name on the hub; names look like gpt2 or openai-community/gpt2-large.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de modèle du hub&#x202f;; les noms ressemblent à gpt2 ou openai-community/gpt2-large.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="296"/>
        <source>“%1” is not a revision name; revisions are branches, tags or commits such as main or float16.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de révision&#x202f;; les révisions sont des branches, des étiquettes ou des commits comme main ou float16.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="302"/>
        <source>The hub address “%1” is not an http(s) address.</source>
        <translation>L’adresse du hub «&#xa0;%1&#xa0;» n’est pas une adresse http(s).</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="306"/>
        <source>No folder was given to download %1 into.</source>
        <translation>Aucun dossier n’a été indiqué pour y télécharger %1.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="315"/>
        <source>Cannot create the folder %1: %2</source>
        <translation>Impossible de créer le dossier %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="316"/>
        <source>a file has that name</source>
        <translation>un fichier porte ce nom</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="321"/>
        <source>Cannot write in the folder %1: %2</source>
        <translation>Impossible d’écrire dans le dossier %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="382"/>
        <source>%1 is gated or private: the hub lets only signed-in users who were given access download %2 (HTTP %3). Accept the model&apos;s terms on its hub page, then enter an access token from your hub account and download again.</source>
        <translation>%1 est à accès restreint ou privé&#xa0;: le hub ne laisse télécharger %2 qu’aux utilisateurs connectés qui en ont reçu l’accès (HTTP %3). Acceptez les conditions du modèle sur sa page du hub, puis saisissez un jeton d’accès de votre compte du hub et relancez le téléchargement.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="388"/>
        <source>The hub did not accept the access token for %1 (HTTP 401). Check the token in your hub account&apos;s settings and enter it again.</source>
        <translation>Le hub n’a pas accepté le jeton d’accès pour %1 (HTTP 401). Vérifiez le jeton dans les paramètres de votre compte du hub et saisissez-le de nouveau.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="391"/>
        <source>The hub refused access to %1 with this token (HTTP 403): %2 is gated. Accept the model&apos;s terms on its hub page with the account the token belongs to, then download again.</source>
        <translation>Le hub a refusé l’accès à %1 avec ce jeton (HTTP 403)&#xa0;: %2 est à accès restreint. Acceptez les conditions du modèle sur sa page du hub avec le compte auquel appartient le jeton, puis relancez le téléchargement.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="438"/>
        <source>%1 has %2 but not the %3 shards it names, so its weights cannot be downloaded whole.</source>
        <translation>%1 contient %2 mais pas les %3 fragments qu’il cite&#xa0;: ses poids ne peuvent donc pas être téléchargés en entier.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="439"/>
        <source>model-…-of-….safetensors</source>
        <translation>model-…-of-….safetensors</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="463"/>
        <source>The hub&apos;s answer about %1 is not a model&apos;s file list.</source>
        <translation>La réponse du hub au sujet de %1 n’est pas la liste des fichiers d’un modèle.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="474"/>
        <source>%1 has no model.safetensors (nor %2 with its shards); Fabula can only use models saved in the safetensors format.</source>
        <translation>%1 n’a pas de model.safetensors (ni de %2 avec ses fragments)&#x202f;; Fabula ne peut utiliser que des modèles enregistrés au format safetensors.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="476"/>
        <source>%1 has no model.safetensors (nor %2 with its shards): its weights are only in %3, a format Fabula does not read. Fabula can only use models saved in the safetensors format; another revision of the repository may have them.</source>
        <translation>%1 n’a pas de model.safetensors (ni de %2 avec ses fragments)&#xa0;: ses poids n’existent qu’en %3, un format que Fabula ne lit pas. Fabula ne peut utiliser que des modèles enregistrés au format safetensors&#x202f;; une autre révision du dépôt les propose peut-être.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="482"/>
        <source>%1 has no %2, so it is not a complete model folder.</source>
        <translation>%1 n’a pas de %2&#xa0;: ce n’est donc pas un dossier de modèle complet.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="485"/>
        <source>The hub does not list the size and checksum of %1 in %2, so the download cannot be checked.</source>
        <translation>Le hub n’indique ni la taille ni la somme de contrôle de %1 dans %2&#xa0;: le téléchargement ne peut donc pas être vérifié.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="493"/>
        <source>%1 has no tokenizer (tokenizer.json, tokenizer.model, or vocab.json with merges.txt), so it is not a complete model folder.</source>
        <translation>%1 n’a pas de tokeniseur (tokenizer.json, tokenizer.model, ou vocab.json avec merges.txt)&#xa0;: ce n’est donc pas un dossier de modèle complet.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="525"/>
        <source>The hub has no public model named “%1”. If it is private, enter an access token from your hub account.</source>
        <translation>Le hub n’a aucun modèle public nommé «&#xa0;%1&#xa0;». S’il est privé, saisissez un jeton d’accès de votre compte du hub.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="527"/>
        <source>The hub has no model named “%1” that this token can see.</source>
        <translation>Le hub n’a aucun modèle nommé «&#xa0;%1&#xa0;» visible avec ce jeton.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="535"/>
        <source>The hub sent the file list of %1 to an address Fabula does not follow.</source>
        <translation>Le hub a renvoyé la liste des fichiers de %1 vers une adresse que Fabula ne suit pas.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="539"/>
        <source>The hub answered “%1 %2” when asked about %3.</source>
        <translation>Le hub a répondu «&#xa0;%1 %2&#xa0;» à la demande concernant %3.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="545"/>
        <source>Cannot reach the hub at %1: %2</source>
        <translation>Impossible de joindre le hub à l’adresse %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="574"/>
        <source>Not enough free space in %1: the model needs %2 more and %3 is free.</source>
        <translation>Pas assez d’espace libre dans %1&#xa0;: le modèle demande encore %2 et %3 sont libres.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="631"/>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="660"/>
        <location filename="../ui/hub_download.cpp" line="679"/>
        <location filename="../ui/hub_download.cpp" line="734"/>
        <location filename="../ui/hub_download.cpp" line="820"/>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="692"/>
        <source>The hub sent the wrong part of %1; start the download again.</source>
        <translation>Le hub a envoyé la mauvaise partie de %1&#x202f;; relancez le téléchargement.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="725"/>
        <source>%1 is corrupted (the hub sent more than the %2 bytes it lists); download it again.</source>
        <translation>%1 est corrompu (le hub a envoyé plus que les %2 octets annoncés)&#x202f;; téléchargez-le de nouveau.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="737"/>
        <source>the disk may be full</source>
        <translation>le disque est peut-être plein</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="766"/>
        <source>The hub sent %1 to an address Fabula does not follow: %2</source>
        <translation>Le hub a renvoyé %1 vers une adresse que Fabula ne suit pas&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="776"/>
        <source>The hub has no %1 for %2 (HTTP %3).</source>
        <translation>Le hub n’a pas de %1 pour %2 (HTTP %3).</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="778"/>
        <source>The hub answered “%1 %2” for %3.</source>
        <translation>Le hub a répondu «&#xa0;%1 %2&#xa0;» pour %3.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="786"/>
        <source>the hub stopped sending data</source>
        <translation>le hub a cessé d’envoyer des données</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="788"/>
        <source>Downloading %1 stopped: %2. Start the download again to continue where it stopped.</source>
        <translation>Le téléchargement de %1 s’est arrêté&#xa0;: %2. Relancez-le pour reprendre là où il s’est arrêté.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="798"/>
        <source>Downloading %1 stopped after %2 of its %3 bytes. Start the download again to continue where it stopped.</source>
        <translation>Le téléchargement de %1 s’est arrêté après %2 de ses %3 octets. Relancez-le pour reprendre là où il s’est arrêté.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="808"/>
        <source>%1 is corrupted (checksum mismatch); download it again.</source>
        <translation>%1 est corrompu (la somme de contrôle ne correspond pas)&#x202f;; téléchargez-le de nouveau.</translation>
    </message>
    <message>
        <location filename="../ui/hub_download.cpp" line="826"/>
        <source>Cannot rename %1 to %2: %3</source>
        <translation>Impossible de renommer %1 en %2&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>fabula::ui::LorebookModel</name>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="78"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="79"/>
        <source>Keys</source>
        <translation>Mots-clés</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="80"/>
        <source>Also needs</source>
        <translation>Exige aussi</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="81"/>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="82"/>
        <source>Always</source>
        <translation>Toujours</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="83"/>
        <source>Match case</source>
        <translation>Respecter la casse</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="84"/>
        <source>On</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../ui/lorebook_model.cpp" line="85"/>
        <source>Order</source>
        <translation>Ordre</translation>
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
        <translation>Sans titre</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="152"/>
        <source>&amp;New draft</source>
        <translation>&amp;Nouveau brouillon</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importer…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>Ctrl+Shift+I</source>
        <translation>Ctrl+Shift+I</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>&amp;Export…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="155"/>
        <source>&amp;Back up library…</source>
        <translation>&amp;Sauvegarder la bibliothèque…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="156"/>
        <source>&amp;Models…</source>
        <translation>&amp;Modèles…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="156"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="157"/>
        <source>&amp;Fine-tune on my stories…</source>
        <translation>A&amp;ffiner sur mes histoires…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="158"/>
        <source>&amp;Learn from my feedback…</source>
        <translation>Apprendre de mes &amp;retours…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>Feedback for &amp;training…</source>
        <translation>Retours pour l’&amp;entraînement…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="160"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>Training &amp;runs…</source>
        <translation>&amp;Sessions d’entraînement…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="162"/>
        <source>&amp;Blind A/B test…</source>
        <translation>Test A/B à l’a&amp;veugle…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="163"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="164"/>
        <source>&amp;About Fabula</source>
        <translation>À &amp;propos de Fabula</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="165"/>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="166"/>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="167"/>
        <source>&amp;Find and replace…</source>
        <translation>Rechercher et rem&amp;placer…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="168"/>
        <source>Version &amp;history…</source>
        <translation>&amp;Historique des versions…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="168"/>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="169"/>
        <source>&amp;Focus mode</source>
        <translation>Mode &amp;concentration</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="169"/>
        <source>F11</source>
        <translation>F11</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>&amp;Continue</source>
        <translation>&amp;Continuer</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>&amp;Regenerate</source>
        <translation>&amp;Régénérer</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="172"/>
        <source>&amp;Alternatives</source>
        <translation>&amp;Variantes</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="172"/>
        <source>Ctrl+Shift+Return</source>
        <translation>Ctrl+Shift+Return</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="174"/>
        <source>Acc&amp;ept (Tab)</source>
        <translation>&amp;Accepter (Tab)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="174"/>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="175"/>
        <source>Re&amp;ject (Esc)</source>
        <translation>Re&amp;jeter (Échap)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="175"/>
        <source>Ctrl+Shift+J</source>
        <translation>Ctrl+Shift+J</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="176"/>
        <source>&amp;Stop</source>
        <translation>Arrê&amp;ter</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="176"/>
        <source>Ctrl+.</source>
        <translation>Ctrl+.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="177"/>
        <source>Good continuation</source>
        <translation>Bonne suite</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="177"/>
        <source>Ctrl+Shift+Up</source>
        <translation>Ctrl+Shift+Up</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="178"/>
        <source>Poor continuation</source>
        <translation>Suite médiocre</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="178"/>
        <source>Ctrl+Shift+Down</source>
        <translation>Ctrl+Shift+Down</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="198"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="199"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="200"/>
        <source>&amp;Write</source>
        <translation>É&amp;criture</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="201"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="202"/>
        <source>&amp;Training</source>
        <translation>&amp;Entraînement</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="203"/>
        <source>&amp;Help</source>
        <translation>A&amp;ide</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="204"/>
        <source>Save problem</source>
        <translation>Problème d’enregistrement</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="205"/>
        <source>Continuation</source>
        <translation>Suite</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="206"/>
        <source>Stars for this continuation</source>
        <translation>Étoiles pour cette suite</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="207"/>
        <source>Stars…</source>
        <translation>Étoiles…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="208"/>
        <source>Alternative continuations</source>
        <translation>Autres suites possibles</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="224"/>
        <source>No model</source>
        <translation>Aucun modèle</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="190"/>
        <source>&amp;Story: memory, note, lorebook</source>
        <translation>Hi&amp;stoire&#xa0;: mémoire, note, lorebook</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="191"/>
        <source>Ctrl+Shift+M</source>
        <translation>Ctrl+Shift+M</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="192"/>
        <source>&amp;Context the model sees</source>
        <translation>Con&amp;texte que voit le modèle</translation>
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
            <numerusform>%Ln mot</numerusform>
            <numerusform>%Ln mots</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/main_window.cpp" line="237"/>
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln caractère</numerusform>
            <numerusform>%Ln caractères</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="428"/>
        <source>Loading %1…</source>
        <translation>Chargement de %1…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="433"/>
        <source>Loading… %1%</source>
        <translation>Chargement… %1&#x202f;%</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="226"/>
        <location filename="../ui/main_window.cpp" line="445"/>
        <source>%1 · voice “%2”</source>
        <translation>%1 · voix «&#xa0;%2&#xa0;»</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="446"/>
        <source>Writing with %1 alone.</source>
        <translation>Écriture avec %1 seul.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="447"/>
        <source>Writing in the voice “%1”.</source>
        <translation>Écriture avec la voix «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="243"/>
        <location filename="../ui/main_window.cpp" line="672"/>
        <source>%1 tokens/s</source>
        <translation>%1 jetons/s</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="245"/>
        <source>prompt: %1 new, %2 reused</source>
        <translation>amorce&#xa0;: %1 nouveaux, %2 réutilisés</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="249"/>
        <location filename="../ui/main_window.cpp" line="671"/>
        <source>%1 words/s (%2)</source>
        <translation>%1 mots/s (%2)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="517"/>
        <source>Saved</source>
        <translation>Enregistré</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="518"/>
        <source>Edited</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="519"/>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="520"/>
        <source>Not saved</source>
        <translation>Non enregistré</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="564"/>
        <source>Export draft</source>
        <translation>Exporter le brouillon</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="565"/>
        <source>Plain text (*.txt);;Markdown (*.md);;OpenDocument text (*.odt)</source>
        <translation>Texte brut (*.txt);;Markdown (*.md);;Texte OpenDocument (*.odt)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="573"/>
        <source>Exported to %1</source>
        <translation>Exporté vers %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="580"/>
        <source>Import a text</source>
        <translation>Importer un texte</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="580"/>
        <source>Text (*.txt *.md)</source>
        <translation>Texte (*.txt *.md)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="612"/>
        <source>Back up library</source>
        <translation>Sauvegarder la bibliothèque</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="613"/>
        <source>Fabula library (*.sqlite)</source>
        <translation>Bibliothèque Fabula (*.sqlite)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="617"/>
        <source>Library backed up to %1</source>
        <translation>Bibliothèque sauvegardée dans %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="619"/>
        <source>The backup failed: %1</source>
        <translation>La sauvegarde a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="657"/>
        <source>The Lighthouse Keeper&apos;s Daughter

The storm had been building since noon, a bruise-coloured wall of cloud that swallowed the horizon one mile at a time. Mara watched it from the gallery of the lighthouse, her hands wrapped around a mug of tea that had long gone cold.

Her father had kept this light for thirty-one years. He had never once let it go dark, not through the winter of the great ice, not through the night her mother left on the last ferry to the mainland. Now he lay in the narrow bed below, and the keeping of the light had fallen to her.

She climbed down the iron stairs, counting them as she always did, and found him awake.</source>
        <translation>La Fille du gardien de phare

L’orage montait depuis midi, un mur de nuages couleur d’ecchymose qui avalait l’horizon mille après mille. Mara le regardait depuis la galerie du phare, les mains serrées autour d’une tasse de thé refroidi depuis longtemps.

Son père avait gardé ce feu pendant trente et un ans. Jamais il ne l’avait laissé s’éteindre, ni pendant l’hiver des grandes glaces, ni la nuit où sa mère était partie par le dernier bac vers le continent. À présent, il était couché dans le lit étroit, en bas, et la garde du feu lui revenait.

Elle descendit l’escalier de fer en comptant les marches, comme toujours, et le trouva éveillé.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="666"/>
        <source> &quot;Is it coming?&quot; he asked, without opening his eyes. She told him it was, and that the lamp was trimmed and the glass was clean, and he smiled the way he used to when she was small.</source>
        <translation> «&#xa0;Il arrive&#x202f;?&#xa0;» demanda-t-il sans ouvrir les yeux. Elle lui répondit que oui, que la mèche était taillée et la vitre propre, et il sourit comme autrefois, quand elle était petite.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="683"/>
        <source>The Lighthouse Keeper&apos;s Daughter</source>
        <translation>La Fille du gardien de phare</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelDialog</name>
    <message>
        <location filename="../ui/model_dialog.cpp" line="21"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="27"/>
        <source>Registered models and their voices</source>
        <translation>Modèles enregistrés et leurs voix</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="43"/>
        <location filename="../ui/model_dialog.cpp" line="141"/>
        <source>&amp;Load</source>
        <translation>&amp;Charger</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="45"/>
        <source>&amp;Remove from list</source>
        <translation>&amp;Retirer de la liste</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="46"/>
        <source>&amp;Add model folder…</source>
        <translation>&amp;Ajouter un dossier de modèle…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="47"/>
        <source>&amp;Download a model…</source>
        <translation>&amp;Télécharger un modèle…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="88"/>
        <source>%1 cannot be used: %2</source>
        <translation>%1 est inutilisable&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="91"/>
        <source>The voice “%1” is in the list, under the model it was made for.</source>
        <translation>La voix «&#xa0;%1&#xa0;» figure dans la liste, sous le modèle pour lequel elle a été créée.</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="94"/>
        <source>Loading %1…</source>
        <translation>Chargement de %1…</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="115"/>
        <source>&lt;p&gt;&lt;b&gt;Fabula needs a language model to continue your text.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A model is a folder with &lt;i&gt;config.json&lt;/i&gt;, the weights in &lt;i&gt;model.safetensors&lt;/i&gt; (or several shards with &lt;i&gt;model.safetensors.index.json&lt;/i&gt;) and the tokenizer files, as published on the Hugging Face hub: GPT-2, GPT-Neo, GPT-J or a Llama-family model (Llama, Mistral, Qwen2). Download one here (about 0.3 GB for the smallest), or add a folder you already have.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Fabula a besoin d’un modèle de langue pour continuer votre texte.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Un modèle est un dossier contenant &lt;i&gt;config.json&lt;/i&gt;, les poids dans &lt;i&gt;model.safetensors&lt;/i&gt; (ou plusieurs fragments avec &lt;i&gt;model.safetensors.index.json&lt;/i&gt;) et les fichiers du tokeniseur, tels que publiés sur le hub Hugging Face&#xa0;: GPT-2, GPT-Neo, GPT-J ou un modèle de la famille Llama (Llama, Mistral, Qwen2). Téléchargez-en un ici (environ 0,3 Go pour le plus petit), ou ajoutez un dossier que vous avez déjà.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="122"/>
        <source>Choose the model that continues your text. Memory counts the weights in the precision they run in here and the cache for the model&apos;s context.</source>
        <translation>Choisissez le modèle qui continue votre texte. La mémoire comprend les poids dans la précision où ils tournent ici et le cache du contexte du modèle.</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="140"/>
        <source>&amp;Use this voice</source>
        <translation>&amp;Utiliser cette voix</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="146"/>
        <source>Add model folder</source>
        <translation>Ajouter un dossier de modèle</translation>
    </message>
    <message>
        <location filename="../ui/model_dialog.cpp" line="148"/>
        <source>Checking %1…</source>
        <translation>Vérification de %1…</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelListModel</name>
    <message>
        <location filename="../ui/model_list_model.cpp" line="123"/>
        <source>not measured yet</source>
        <translation>pas encore mesurée</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="124"/>
        <source>about %1 tokens/s</source>
        <translation>environ %1 jetons/s</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="129"/>
        <source>Fabula measures the speed when a model writes a continuation; the estimates for the others follow from it.</source>
        <translation>Fabula mesure la vitesse quand un modèle écrit une suite&#x202f;; les estimations pour les autres en découlent.</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="132"/>
        <source>Estimated from the last measurement on this machine: %1 tokens/s with %2 (%3, %4 of weights). Writing reads every weight once per token, so the speed scales with the weights&apos; size (%5 here).</source>
        <translation>Estimation d’après la dernière mesure sur cette machine&#xa0;: %1 jetons/s avec %2 (%3, %4 de poids). L’écriture lit chaque poids une fois par jeton&#xa0;: la vitesse suit donc la taille des poids (%5 ici).</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="150"/>
        <source>voice</source>
        <translation>voix</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="150"/>
        <source>voice for %1</source>
        <translation>voix pour %1</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="150"/>
        <source>an unknown model</source>
        <translation>un modèle inconnu</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="158"/>
        <source>A voice (LoRA adapter) trained on top of its base model: choosing it keeps the base loaded and only changes the voice.</source>
        <translation>Une voix (adaptateur LoRA) entraînée sur son modèle de base&#xa0;: la choisir garde le modèle de base chargé et ne change que la voix.</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="182"/>
        <source>cannot be used</source>
        <translation>inutilisable</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="193"/>
        <source>%1 (runs in %2)</source>
        <translation>%1 (tourne en %2)</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="200"/>
        <source>%1 (model_type “%2”)</source>
        <translation>%1 (model_type «&#xa0;%2&#xa0;»)</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="201"/>
        <source>%1 parameters</source>
        <translation>%1 paramètres</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="202"/>
        <source>The file stores the weights in %1; Fabula runs them in %2 on this machine.</source>
        <translation>Le fichier stocke les poids en %1&#x202f;; Fabula les fait tourner en %2 sur cette machine.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/model_list_model.cpp" line="205"/>
        <source>%1 for the weights in %2 and %3 for %n token(s) of context.</source>
        <translation>
            <numerusform>%1 pour les poids en %2 et %3 pour %n jeton de contexte.</numerusform>
            <numerusform>%1 pour les poids en %2 et %3 pour %n jetons de contexte.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="209"/>
        <source>Only %1 is free now: close other programs before loading it.</source>
        <translation>Seuls %1 sont libres pour l’instant&#xa0;: fermez d’autres programmes avant de le charger.</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="225"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="226"/>
        <source>Family</source>
        <translation>Famille</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="227"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="228"/>
        <source>Precision</source>
        <translation>Précision</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="229"/>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="230"/>
        <source>Speed here</source>
        <translation>Vitesse ici</translation>
    </message>
    <message>
        <location filename="../ui/model_list_model.cpp" line="231"/>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ModelManager</name>
    <message>
        <location filename="../ui/model_manager.cpp" line="159"/>
        <source>Could not switch to the voice in %1: %2</source>
        <translation>Impossible de passer à la voix de %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="166"/>
        <source>Could not load the model in %1: %2</source>
        <translation>Impossible de charger le modèle de %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/model_manager.cpp" line="167"/>
        <source>%1 is still loaded.</source>
        <translation>%1 reste chargé.</translation>
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
        <translation>Un modèle est encore en cours d’entraînement.</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="42"/>
        <source>It can go on in the background and Fabula shows it again when you come back, or pause now (after saving a checkpoint) and be resumed later.</source>
        <translation>Il peut continuer en arrière-plan, et Fabula l’affichera de nouveau à votre retour, ou se mettre en pause maintenant (après l’enregistrement d’un point de reprise) et reprendre plus tard.</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="44"/>
        <source>&amp;Keep training in the background</source>
        <translation>&amp;Continuer l’entraînement en arrière-plan</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="46"/>
        <source>&amp;Pause training</source>
        <translation>&amp;Mettre l’entraînement en pause</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="48"/>
        <source>&amp;Don&apos;t quit</source>
        <translation>&amp;Ne pas quitter</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="84"/>
        <source>Saving your text before quitting…</source>
        <translation>Enregistrement de votre texte avant de quitter…</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="85"/>
        <location filename="../ui/quit_guard.cpp" line="124"/>
        <source>&amp;Keep writing</source>
        <translation>&amp;Continuer à écrire</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="113"/>
        <source>Your latest changes are not saved, so quitting now would lose them.</source>
        <translation>Vos dernières modifications ne sont pas enregistrées&#xa0;: quitter maintenant les ferait perdre.</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="118"/>
        <source>&amp;Retry</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="120"/>
        <source>&amp;Save a copy as a file…</source>
        <translation>&amp;Enregistrer une copie dans un fichier…</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="122"/>
        <source>&amp;Quit anyway</source>
        <translation>&amp;Quitter quand même</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="148"/>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="152"/>
        <source>Save a copy of your text</source>
        <translation>Enregistrer une copie de votre texte</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="152"/>
        <source>Plain text (*.txt)</source>
        <translation>Texte brut (*.txt)</translation>
    </message>
    <message>
        <location filename="../ui/quit_guard.cpp" line="161"/>
        <source>The copy was not saved. %1</source>
        <translation>La copie n’a pas été enregistrée. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::ResultPage</name>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="35"/>
        <source>Before and after</source>
        <translation>Avant et après</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="36"/>
        <source>How the new model compares with the one it started from, on stories it never saw.</source>
        <translation>Comment le nouveau modèle se compare à celui dont il est parti, sur des histoires qu’il n’a jamais vues.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="51"/>
        <location filename="../ui/wizard/result_page.cpp" line="164"/>
        <location filename="../ui/wizard/result_page.cpp" line="193"/>
        <location filename="../ui/wizard/result_page.cpp" line="244"/>
        <source>Base model</source>
        <translation>Modèle de base</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="52"/>
        <location filename="../ui/wizard/result_page.cpp" line="121"/>
        <location filename="../ui/wizard/result_page.cpp" line="164"/>
        <location filename="../ui/wizard/result_page.cpp" line="193"/>
        <location filename="../ui/wizard/result_page.cpp" line="245"/>
        <source>New model</source>
        <translation>Nouveau modèle</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="57"/>
        <source>Opening %1</source>
        <translation>Début %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="62"/>
        <source>The base model&apos;s continuation of opening %1</source>
        <translation>La suite du début %1 par le modèle de base</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="63"/>
        <source>The new model&apos;s continuation of opening %1</source>
        <translation>La suite du début %1 par le nouveau modèle</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="68"/>
        <source>Opening %1:</source>
        <translation>Début %1&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="75"/>
        <source>Continue both &amp;again</source>
        <translation>Relancer les &amp;deux suites</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="76"/>
        <location filename="../ui/wizard/result_page.cpp" line="122"/>
        <source>&amp;Use this model</source>
        <translation>&amp;Utiliser ce modèle</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="78"/>
        <source>&amp;Train more…</source>
        <translation>&amp;Entraîner davantage…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="84"/>
        <source>In use</source>
        <translation>En service</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="121"/>
        <source>New voice</source>
        <translation>Nouvelle voix</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="122"/>
        <source>&amp;Use this voice</source>
        <translation>&amp;Utiliser cette voix</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="145"/>
        <source>Too few pairs to hold some out, so there is no preference accuracy to compare.</source>
        <translation>Trop peu de paires pour en réserver&#xa0;: il n’y a donc pas de précision des préférences à comparer.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="147"/>
        <source>No stories were held out, so there is no perplexity to compare; the continuations below still show the difference.</source>
        <translation>Aucune histoire n’a été réservée&#xa0;: il n’y a donc pas de perplexité à comparer&#x202f;; les suites ci-dessous montrent tout de même la différence.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="152"/>
        <location filename="../ui/wizard/result_page.cpp" line="246"/>
        <source>Lower perplexity means the model predicts your held-out stories better.</source>
        <translation>Une perplexité plus basse signifie que le modèle prévoit mieux vos histoires réservées.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="153"/>
        <source>No stories were held out, so there is no perplexity to compare.</source>
        <translation>Aucune histoire n’a été réservée&#xa0;: il n’y a donc pas de perplexité à comparer.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="155"/>
        <source>Preference accuracy is how often a model finds the continuation you chose more likely than the one you turned down, on pairs it never trained on.</source>
        <translation>La précision des préférences indique à quelle fréquence un modèle juge la suite que vous avez choisie plus probable que celle que vous avez écartée, sur des paires qui n’ont jamais servi à l’entraîner.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="166"/>
        <source>%1: measuring preference accuracy…</source>
        <translation>%1&#xa0;: mesure de la précision des préférences…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/wizard/result_page.cpp" line="174"/>
        <source>%1: preference accuracy %2 % on %n held-out pair(s)</source>
        <translation>
            <numerusform>%1&#xa0;: précision des préférences de %2&#x202f;% sur %n paire réservée</numerusform>
            <numerusform>%1&#xa0;: précision des préférences de %2&#x202f;% sur %n paires réservées</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="183"/>
        <source>%1: preference accuracy could not be measured (%2)</source>
        <translation>%1&#xa0;: impossible de mesurer la précision des préférences (%2)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="195"/>
        <source>%1: measuring…</source>
        <translation>%1&#xa0;: mesure en cours…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="202"/>
        <location filename="../ui/wizard/result_page.cpp" line="244"/>
        <location filename="../ui/wizard/result_page.cpp" line="245"/>
        <source>%1: perplexity %2</source>
        <translation>%1&#xa0;: perplexité %2</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="206"/>
        <source>%1: could not be measured (%2)</source>
        <translation>%1&#xa0;: mesure impossible (%2)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="221"/>
        <source>Writing…</source>
        <translation>Écriture…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/result_page.cpp" line="234"/>
        <source>Could not continue: %1</source>
        <translation>Impossible de continuer&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunCharts</name>
    <message>
        <location filename="../ui/run_charts.cpp" line="19"/>
        <source>step</source>
        <translation>étape</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="37"/>
        <location filename="../ui/run_charts.cpp" line="45"/>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="39"/>
        <source>validation perplexity</source>
        <translation>perplexité de validation</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="45"/>
        <location filename="../ui/run_charts.cpp" line="47"/>
        <source>Training loss</source>
        <translation>Perte d’entraînement</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="48"/>
        <location filename="../ui/run_charts.cpp" line="50"/>
        <source>Validation perplexity</source>
        <translation>Perplexité de validation</translation>
    </message>
    <message>
        <location filename="../ui/run_charts.cpp" line="48"/>
        <source>perplexity</source>
        <translation>perplexité</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunLibrary</name>
    <message>
        <location filename="../ui/run_library.cpp" line="211"/>
        <source>The run is still training; pause it first.</source>
        <translation>La session est encore en cours d’entraînement&#x202f;; mettez-la d’abord en pause.</translation>
    </message>
    <message>
        <location filename="../ui/run_library.cpp" line="221"/>
        <source>The run was removed, but %1 still holds files Fabula did not write; they were left alone.</source>
        <translation>La session a été retirée, mais %1 contient encore des fichiers que Fabula n’a pas écrits&#x202f;; ils n’ont pas été touchés.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunsDialog</name>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="42"/>
        <source>there is no such file</source>
        <translation>ce fichier n’existe pas</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="73"/>
        <location filename="../ui/runs_dialog.cpp" line="80"/>
        <source>Training runs</source>
        <translation>Sessions d’entraînement</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="89"/>
        <location filename="../ui/runs_dialog.cpp" line="213"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="91"/>
        <source>&amp;Delete…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="93"/>
        <source>&amp;Open folder</source>
        <translation>&amp;Ouvrir le dossier</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="158"/>
        <source>No curves: %1 cannot be read (%2).</source>
        <translation>Aucune courbe&#xa0;: impossible de lire %1 (%2).</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/runs_dialog.cpp" line="160"/>
        <source>%n line(s) of %1 are not training events and were skipped.</source>
        <translation>
            <numerusform>%n ligne de %1 n’est pas un événement d’entraînement et a été ignorée.</numerusform>
            <numerusform>%n lignes de %1 ne sont pas des événements d’entraînement et ont été ignorées.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="161"/>
        <source>No curves yet: %1 holds no training steps.</source>
        <translation>Pas encore de courbes&#xa0;: %1 ne contient aucune étape d’entraînement.</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="180"/>
        <location filename="../ui/runs_dialog.cpp" line="193"/>
        <source>Delete run</source>
        <translation>Supprimer la session</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="181"/>
        <source>Delete the run “%1” with its checkpoints and model (or voice)?</source>
        <translation>Supprimer la session «&#xa0;%1&#xa0;» avec ses points de reprise et son modèle (ou sa voix)&#x202f;?</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="184"/>
        <source>Only the files the run wrote in %1 are removed.</source>
        <translation>Seuls les fichiers que la session a écrits dans %1 sont supprimés.</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="185"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="206"/>
        <source>Training was interrupted</source>
        <translation>L’entraînement a été interrompu</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/runs_dialog.cpp" line="207"/>
        <source>%n training run(s) stopped while Fabula or the computer was not running: %1. Resume from the last checkpoint?</source>
        <translation>
            <numerusform>%n session d’entraînement s’est arrêtée pendant que Fabula ou l’ordinateur était éteint&#xa0;: %1. Reprendre au dernier point de reprise&#x202f;?</numerusform>
            <numerusform>%n sessions d’entraînement se sont arrêtées pendant que Fabula ou l’ordinateur était éteint&#xa0;: %1. Reprendre au dernier point de reprise&#x202f;?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/runs_dialog.cpp" line="215"/>
        <source>&amp;Later</source>
        <translation>&amp;Plus tard</translation>
    </message>
</context>
<context>
    <name>fabula::ui::RunsModel</name>
    <message>
        <location filename="../ui/runs_model.cpp" line="32"/>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="33"/>
        <source>Training</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="34"/>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="35"/>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="36"/>
        <source>Interrupted</source>
        <translation>Interrompue</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="37"/>
        <source>Finished</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="38"/>
        <source>Failed</source>
        <translation>Échouée</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="39"/>
        <source>Cancelled</source>
        <translation>Annulée</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="61"/>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="74"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="75"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="76"/>
        <source>Steps</source>
        <translation>Étapes</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="77"/>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location filename="../ui/runs_model.cpp" line="78"/>
        <source>Started</source>
        <translation>Début</translation>
    </message>
</context>
<context>
    <name>fabula::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="17"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="26"/>
        <source>off</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="35"/>
        <source> tokens</source>
        <translation> jetons</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="37"/>
        <source>Anywhere</source>
        <translation>N’importe où</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="38"/>
        <source>At the end of a sentence</source>
        <translation>À la fin d’une phrase</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="39"/>
        <source>At the end of a paragraph</source>
        <translation>À la fin d’un paragraphe</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="41"/>
        <source>Continuations</source>
        <translation>Suites</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="43"/>
        <source>&amp;Style:</source>
        <translation>&amp;Style&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="44"/>
        <source>&amp;Temperature:</source>
        <translation>&amp;Température&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="45"/>
        <source>Top-&amp;k:</source>
        <translation>Top-&amp;k&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="46"/>
        <source>Top-&amp;p:</source>
        <translation>Top-&amp;p&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="47"/>
        <source>&amp;Repetition penalty:</source>
        <translation>Pénalité de &amp;répétition&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="48"/>
        <source>&amp;Length:</source>
        <translation>&amp;Longueur&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="49"/>
        <source>&amp;End:</source>
        <translation>&amp;Fin&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="52"/>
        <source>Serif</source>
        <translation>Avec empattements</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="53"/>
        <source>Sans serif</source>
        <translation>Sans empattements</translation>
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
        <translation>Comme le système</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="59"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="60"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="68"/>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="70"/>
        <source>&amp;Font:</source>
        <translation>Poli&amp;ce&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="71"/>
        <source>Font si&amp;ze:</source>
        <translation>Ta&amp;ille du texte&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="72"/>
        <source>The&amp;me:</source>
        <translation>Th&amp;ème&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="73"/>
        <source>Lan&amp;guage:</source>
        <translation>Lan&amp;gue&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="86"/>
        <source>Prec&amp;ision (at the next load):</source>
        <translation>Pr&amp;écision (au prochain chargement)&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="74"/>
        <source>Model &amp;hub:</source>
        <translation>&amp;Hub de modèles&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="78"/>
        <source>Automatic (int8 for large models)</source>
        <translation>Automatique (int8 pour les grands modèles)</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="79"/>
        <source>fp32: exact</source>
        <translation>fp32&#xa0;: exact</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="80"/>
        <source>bf16: half the memory</source>
        <translation>bf16&#xa0;: moitié moins de mémoire</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="81"/>
        <source>int8: a quarter of the memory, fastest on the CPU</source>
        <translation>int8&#xa0;: un quart de la mémoire, le plus rapide sur le processeur</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="82"/>
        <source>int8 keeps each weight of the model&apos;s projections in 8 bits: continuations come faster and need less memory, and read almost as the exact ones.</source>
        <translation>int8 garde chaque poids des projections du modèle sur 8 bits&#xa0;: les suites arrivent plus vite, demandent moins de mémoire et se lisent presque comme les exactes.</translation>
    </message>
    <message>
        <location filename="../ui/settings_dialog.cpp" line="84"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
</context>
<context>
    <name>fabula::ui::SettingsPage</name>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="59"/>
        <source>Base model and settings</source>
        <translation>Modèle de base et réglages</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="60"/>
        <source>The defaults are the reference recipe; most writers never need to change them.</source>
        <translation>Les valeurs par défaut sont la recette de référence&#x202f;; la plupart des auteurs n’ont jamais besoin de les changer.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="81"/>
        <source>Automatic (mixed precision where the hardware has it)</source>
        <translation>Automatique (précision mixte si le matériel la permet)</translation>
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
        <translation>Automatique (le GPU s’il y en a un)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="88"/>
        <source>CPU</source>
        <translation>Processeur</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="89"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="92"/>
        <source>Trains on all of them at once, each with its own batch of the size above.</source>
        <translation>Entraîne sur tous à la fois, chacun avec son propre lot de la taille ci-dessus.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="99"/>
        <source>These stories are not trained on; the last step compares the models on them.</source>
        <translation>Ces histoires ne servent pas à l’entraînement&#x202f;; la dernière étape y compare les modèles.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="102"/>
        <source>Mia&apos;s voice</source>
        <translation>La voix de Mia</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="103"/>
        <source>My voice</source>
        <translation>Ma voix</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="108"/>
        <source>the model&apos;s context, at most 512</source>
        <translation>le contexte du modèle, 512 au plus</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="125"/>
        <source>Pack stories into full blocks (nothing dropped)</source>
        <translation>Regrouper les histoires en blocs pleins (rien n’est perdu)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="126"/>
        <source>Pad each story (the reference)</source>
        <translation>Compléter chaque histoire (la référence)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="133"/>
        <source>&amp;Full</source>
        <translation>&amp;Complet</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="135"/>
        <source>LoR&amp;A (less memory; faster on a CPU)</source>
        <translation>LoR&amp;A (moins de mémoire&#x202f;; plus rapide sur un processeur)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="137"/>
        <source>Trains a small voice (a LoRA adapter of a few megabytes) on top of the base model, which stays as it is: the app lists the voice under the model and switches to it at once.</source>
        <translation>Entraîne une petite voix (un adaptateur LoRA de quelques mégaoctets) sur le modèle de base, qui reste tel quel&#xa0;: l’application affiche la voix sous le modèle et passe à elle aussitôt.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="151"/>
        <source>How to train</source>
        <translation>Mode d’entraînement</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="167"/>
        <source>Base &amp;model:</source>
        <translation>Modèle de &amp;base&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="169"/>
        <source>Name of the new m&amp;odel:</source>
        <translation>&amp;Nom du nouveau modèle&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="170"/>
        <source>&amp;Learning rate:</source>
        <translation>Tau&amp;x d’apprentissage&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="171"/>
        <source>&amp;Epochs:</source>
        <translation>&amp;Époques&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="172"/>
        <source>Ba&amp;tch size:</source>
        <translation>Taille des lo&amp;ts&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="173"/>
        <source>&amp;Precision:</source>
        <translation>Précisi&amp;on&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="174"/>
        <source>&amp;Device:</source>
        <translation>&amp;Matériel&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="176"/>
        <source>&amp;Held out for the comparison:</source>
        <translation>&amp;Réservées pour la comparaison&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="178"/>
        <source>Show advanced sett&amp;ings</source>
        <translation>A&amp;fficher les réglages avancés</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="180"/>
        <source>Advanced</source>
        <translation>Avancé</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="183"/>
        <source>Block si&amp;ze (tokens):</source>
        <translation>Taille des b&amp;locs (jetons)&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="184"/>
        <source>&amp;Gradient accumulation:</source>
        <translation>Accumulation de &amp;gradient&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="185"/>
        <source>Wa&amp;rm-up steps:</source>
        <translation>Étapes de préc&amp;hauffage&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="186"/>
        <source>&amp;Weight decay:</source>
        <translation>Décroissance des poi&amp;ds&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="187"/>
        <source>&amp;Seed:</source>
        <translation>Grain&amp;e&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="188"/>
        <source>Bat&amp;ching:</source>
        <translation>Const&amp;itution des lots&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="189"/>
        <source>&amp;Validation share:</source>
        <translation>Part de &amp;validation&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="242"/>
        <source>&amp;Use every GPU on this machine (%1)</source>
        <translation>&amp;Utiliser tous les GPU de cette machine (%1)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="250"/>
        <source>This computer has no GPU that training can use.</source>
        <translation>Cet ordinateur n’a pas de GPU utilisable pour l’entraînement.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="280"/>
        <source>No model is registered: add one with File ▸ Models…</source>
        <translation>Aucun modèle n’est enregistré&#xa0;: ajoutez-en un avec Fichier ▸ Modèles…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="283"/>
        <source>Reading the model…</source>
        <translation>Lecture du modèle…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="291"/>
        <source>This model cannot be used: %1</source>
        <translation>Ce modèle est inutilisable&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="297"/>
        <source>%1, %2 on disk.</source>
        <translation>%1, %2 sur le disque.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="308"/>
        <source>trains all %1: about %2 of memory; the next page times it on this machine.</source>
        <translation>entraîne les %1&#xa0;: environ %2 de mémoire&#x202f;; la page suivante en mesure la durée sur cette machine.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="310"/>
        <source>trains %1 on top of the frozen model: about %2 of memory and about %3 % of full fine-tuning&apos;s time per step (an estimate from the computation each step needs).</source>
        <translation>entraîne %1 sur le modèle figé&#xa0;: environ %2 de mémoire et environ %3&#x202f;% du temps par étape de l’affinage complet (une estimation d’après le calcul qu’exige chaque étape).</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="321"/>
        <source>Full fine-tuning needs about %1, but only %2 is free: it will not fit unless you close other programs. LoRA needs about %3.</source>
        <translation>L’affinage complet demande environ %1, mais seuls %2 sont libres&#xa0;: il ne tiendra pas à moins de fermer d’autres programmes. LoRA demande environ %3.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/settings_page.cpp" line="325"/>
        <source>Full fine-tuning would need about %1, but only %2 is free, so LoRA is chosen.</source>
        <translation>L’affinage complet demanderait environ %1, mais seuls %2 sont libres&#xa0;: LoRA est donc choisi.</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StoreClient</name>
    <message>
        <location filename="../ui/store_client.cpp" line="88"/>
        <source>the library file is read-only</source>
        <translation>le fichier de la bibliothèque est en lecture seule</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="89"/>
        <source>the disk is full</source>
        <translation>le disque est plein</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="90"/>
        <source>another program is using the library</source>
        <translation>un autre programme utilise la bibliothèque</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="91"/>
        <source>the library file is damaged or is not a Fabula library</source>
        <translation>le fichier de la bibliothèque est endommagé ou n’est pas une bibliothèque Fabula</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="92"/>
        <source>the library file cannot be opened</source>
        <translation>impossible d’ouvrir le fichier de la bibliothèque</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="93"/>
        <source>the disk reported an error</source>
        <translation>le disque a signalé une erreur</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="94"/>
        <source>the library was made by a newer version of Fabula</source>
        <translation>la bibliothèque a été créée par une version plus récente de Fabula</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="95"/>
        <source>the draft no longer exists</source>
        <translation>le brouillon n’existe plus</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="96"/>
        <source>a value was not accepted</source>
        <translation>une valeur a été refusée</translation>
    </message>
    <message>
        <location filename="../ui/store_client.cpp" line="99"/>
        <source>Could not save: %1 (%2).</source>
        <translation>Enregistrement impossible&#xa0;: %1 (%2).</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StoriesPage</name>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="110"/>
        <source>Your stories</source>
        <translation>Vos histoires</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="111"/>
        <source>Pick the stories the model should learn from: a folder, files (or drop them here), and drafts from your library.</source>
        <translation>Choisissez les histoires dont le modèle doit apprendre&#xa0;: un dossier, des fichiers (ou déposez-les ici) et des brouillons de votre bibliothèque.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="117"/>
        <source>Folders and files</source>
        <translation>Dossiers et fichiers</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="119"/>
        <source>Add &amp;folder…</source>
        <translation>Ajouter un &amp;dossier…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="120"/>
        <source>Add fi&amp;les…</source>
        <translation>Ajouter des &amp;fichiers…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="121"/>
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="124"/>
        <source>A folder of stories</source>
        <translation>Un dossier d’histoires</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="128"/>
        <source>Story files</source>
        <translation>Fichiers d’histoires</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="129"/>
        <source>Stories (*.txt *.md *.jsonl *.csv)</source>
        <translation>Histoires (*.txt *.md *.jsonl *.csv)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="138"/>
        <source>Drafts from your library</source>
        <translation>Brouillons de votre bibliothèque</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="141"/>
        <location filename="../ui/wizard/stories_page.cpp" line="248"/>
        <source>No stories yet.</source>
        <translation>Pas encore d’histoires.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="146"/>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="150"/>
        <location filename="../ui/wizard/stories_page.cpp" line="154"/>
        <source>Story lengths in tokens</source>
        <translation>Longueur des histoires en jetons</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="164"/>
        <source>Folders and files:</source>
        <translation>Dossiers et fichiers&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="167"/>
        <source>Drafts from your library:</source>
        <translation>Brouillons de votre bibliothèque&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="172"/>
        <source>Problems (these are skipped):</source>
        <translation>Problèmes (ces éléments sont ignorés)&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="185"/>
        <source>Could not read the stories: %1</source>
        <translation>Impossible de lire les histoires&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="202"/>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="254"/>
        <source>Reading the stories…</source>
        <translation>Lecture des histoires…</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="292"/>
        <source>Add a model first (File ▸ Models…): its tokenizer counts the tokens.</source>
        <translation>Ajoutez d’abord un modèle (Fichier ▸ Modèles…)&#xa0;: son tokeniseur compte les jetons.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="316"/>
        <source>Stories: %1, tokens: %2.</source>
        <translation>Histoires&#xa0;: %1, jetons&#xa0;: %2.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="318"/>
        <source>Duplicates left out, so they are not learnt twice: %1.</source>
        <translation>Doublons écartés, pour ne pas être appris deux fois&#xa0;: %1.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="319"/>
        <source>Empty stories left out: %1.</source>
        <translation>Histoires vides écartées&#xa0;: %1.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="320"/>
        <source>There is nothing to train on yet.</source>
        <translation>Il n’y a encore rien sur quoi s’entraîner.</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="368"/>
        <source>Story lengths in tokens (from the percentiles)</source>
        <translation>Longueur des histoires en jetons (d’après les centiles)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="370"/>
        <source>Stories</source>
        <translation>Histoires</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="381"/>
        <source>tokens (from)</source>
        <translation>jetons (à partir de)</translation>
    </message>
    <message>
        <location filename="../ui/wizard/stories_page.cpp" line="385"/>
        <source>stories</source>
        <translation>histoires</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StoryPanel</name>
    <message>
        <location filename="../ui/story_panel.cpp" line="128"/>
        <source>Story</source>
        <translation>Histoire</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="129"/>
        <source>Series</source>
        <translation>Série</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="130"/>
        <source>Memory and lorebook of</source>
        <translation>Mémoire et lorebook de</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="131"/>
        <source>This draft</source>
        <translation>Ce brouillon</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="132"/>
        <source>The series (shared by its drafts)</source>
        <translation>La série (partagés par ses brouillons)</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="133"/>
        <source>Series:</source>
        <translation>Série&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="134"/>
        <source>Edit the settings of:</source>
        <translation>Modifier les réglages de&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="135"/>
        <source>Memory (always at the start of the prompt):</source>
        <translation>Mémoire (toujours au début de l’amorce)&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="136"/>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="137"/>
        <source>The premise, the main characters, the style…</source>
        <translation>Le point de départ, les personnages principaux, le style…</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="138"/>
        <source>Author&apos;s note:</source>
        <translation>Note de l’auteur&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="139"/>
        <source>Author&apos;s note depth</source>
        <translation>Profondeur de la note de l’auteur</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="140"/>
        <source> paragraphs before the end</source>
        <translation> paragraphes avant la fin</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="141"/>
        <source>Author&apos;s note</source>
        <translation>Note de l’auteur</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="142"/>
        <source>e.g. Tense, dreamlike; the storm gets worse.</source>
        <translation>p. ex. Tendu, onirique&#x202f;; l’orage s’aggrave.</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="143"/>
        <source>Lorebook:</source>
        <translation>Lorebook&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="144"/>
        <source>Search entries</source>
        <translation>Rechercher des entrées</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="145"/>
        <source>Search the lorebook</source>
        <translation>Rechercher dans le lorebook</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="146"/>
        <source>Lorebook entries</source>
        <translation>Entrées du lorebook</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="147"/>
        <source>&amp;Add entry</source>
        <translation>&amp;Ajouter une entrée</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="148"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="149"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importer…</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="150"/>
        <source>NovelAI, KoboldAI World Info, SillyTavern or Fabula lorebook files</source>
        <translation>Fichiers de lorebook NovelAI, KoboldAI (World Info), SillyTavern ou Fabula</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="151"/>
        <source>Text of the selected entry</source>
        <translation>Texte de l’entrée sélectionnée</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="152"/>
        <source>The text this entry puts into the prompt</source>
        <translation>Le texte que cette entrée ajoute à l’amorce</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="187"/>
        <source>No series</source>
        <translation>Aucune série</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="189"/>
        <source>New series…</source>
        <translation>Nouvelle série…</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="201"/>
        <source>New series</source>
        <translation>Nouvelle série</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="201"/>
        <source>Name of the series:</source>
        <translation>Nom de la série&#xa0;:</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="224"/>
        <source>New entry</source>
        <translation>Nouvelle entrée</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/story_panel.cpp" line="245"/>
        <source>Imported %n lorebook entry(s) from %1.</source>
        <translation>
            <numerusform>%n entrée de lorebook importée depuis %1.</numerusform>
            <numerusform>%n entrées de lorebook importées depuis %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="249"/>
        <source>The lorebook was not imported: %1</source>
        <translation>Le lorebook n’a pas été importé&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="257"/>
        <source>Import a lorebook</source>
        <translation>Importer un lorebook</translation>
    </message>
    <message>
        <location filename="../ui/story_panel.cpp" line="258"/>
        <source>Lorebooks (*.json *.jsonl *.lorebook);;All files (*)</source>
        <translation>Lorebooks (*.json *.jsonl *.lorebook);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>fabula::ui::StorySession</name>
    <message>
        <location filename="../ui/story_session.cpp" line="31"/>
        <source>The story settings were not saved: %1</source>
        <translation>Les réglages de l’histoire n’ont pas été enregistrés&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::SuggestionController</name>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="46"/>
        <source>The model is still loading.</source>
        <translation>Le modèle est encore en cours de chargement.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="46"/>
        <source>Load a model first.</source>
        <translation>Chargez d’abord un modèle.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="50"/>
        <source>Open or create a draft first.</source>
        <translation>Ouvrez ou créez d’abord un brouillon.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="78"/>
        <source>Max new tokens is %1, but %2 reads only %3 tokens at a time: each continuation is limited to %4 tokens so that enough of your story still fits before it.</source>
        <translation>La longueur est réglée sur %1 jetons, mais %2 ne lit que %3 jetons à la fois&#xa0;: chaque suite est limitée à %4 jetons pour qu’assez de votre histoire tienne encore avant elle.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="116"/>
        <source>The story settings could not be read, so this continuation sees the story alone. %1</source>
        <translation>Impossible de lire les réglages de l’histoire&#xa0;: cette suite ne voit donc que l’histoire elle-même. %1</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="146"/>
        <source>The model could not continue: %1</source>
        <translation>Le modèle n’a pas pu continuer&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="163"/>
        <source>The model ended the text here. Try Regenerate.</source>
        <translation>Le modèle a terminé le texte ici. Essayez «&#xa0;Régénérer&#xa0;».</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="233"/>
        <source>%1 is back in the model list: it was removed while it was still loaded, and the continuations it writes are recorded with it.</source>
        <translation>%1 est de retour dans la liste des modèles&#xa0;: il en a été retiré alors qu’il était encore chargé, et les suites qu’il écrit sont enregistrées avec lui.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="290"/>
        <source>There is no continuation to rate yet.</source>
        <translation>Il n’y a pas encore de suite à noter.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="309"/>
        <source>This continuation could not be recorded, so the rating was not kept.</source>
        <translation>Cette suite n’a pas pu être enregistrée&#xa0;: la note n’a donc pas été conservée.</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="312"/>
        <source>Rated: good</source>
        <translation>Note&#xa0;: bonne</translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="313"/>
        <source>Rated: poor</source>
        <translation>Note&#xa0;: médiocre</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/suggestion_controller.cpp" line="314"/>
        <source>Rated: %n star(s)</source>
        <translation>
            <numerusform>Note&#xa0;: %n étoile</numerusform>
            <numerusform>Note&#xa0;: %n étoiles</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/suggestion_controller.cpp" line="316"/>
        <source>The rating was not saved. %1</source>
        <translation>La note n’a pas été enregistrée. %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::TrainingRun</name>
    <message>
        <location filename="../ui/training_run.cpp" line="180"/>
        <source>A line of %1 is not a training event and was skipped: %2</source>
        <translation>Une ligne de %1 n’est pas un événement d’entraînement et a été ignorée&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="303"/>
        <source>Could not start %1.</source>
        <translation>Impossible de lancer %1.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="306"/>
        <source>Training ended unexpectedly (exit code %1) in %2.</source>
        <translation>L’entraînement s’est terminé de façon inattendue (code de sortie %1) dans %2.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="335"/>
        <source>Could not write the training settings to %1.</source>
        <translation>Impossible d’écrire les réglages d’entraînement dans %1.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="346"/>
        <source>Could not write the training settings: %1</source>
        <translation>Impossible d’écrire les réglages d’entraînement&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="358"/>
        <source>The run&apos;s settings could not be kept, so it cannot be resumed: %1</source>
        <translation>Les réglages de la session n’ont pas pu être conservés&#xa0;: elle ne pourra donc pas être reprise&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="367"/>
        <source>fabula-cli was not found beside Fabula (looked for %1).</source>
        <translation>fabula-cli est introuvable à côté de Fabula (cherché&#xa0;: %1).</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="382"/>
        <source>Training a model</source>
        <translation>Entraînement d’un modèle</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="393"/>
        <source>Could not start training: %1</source>
        <translation>Impossible de lancer l’entraînement&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="431"/>
        <source>A training run is still going in %1.</source>
        <translation>Une session d’entraînement est encore en cours dans %1.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="440"/>
        <source>Could not create the run folder %1.</source>
        <translation>Impossible de créer le dossier de session %1.</translation>
    </message>
    <message>
        <location filename="../ui/training_run.cpp" line="486"/>
        <source>This run cannot be resumed: %1</source>
        <translation>Cette session ne peut pas être reprise&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>fabula::ui::VoiceBox</name>
    <message>
        <location filename="../ui/voice_box.cpp" line="24"/>
        <source>Voice</source>
        <translation>Voix</translation>
    </message>
    <message>
        <location filename="../ui/voice_box.cpp" line="25"/>
        <source>The voice the loaded model writes in: the base model alone, or a voice trained on your stories on top of it. Switching keeps the model loaded.</source>
        <translation>La voix dans laquelle écrit le modèle chargé&#xa0;: le modèle de base seul, ou une voix entraînée sur vos histoires par-dessus. Changer de voix garde le modèle chargé.</translation>
    </message>
    <message>
        <location filename="../ui/voice_box.cpp" line="42"/>
        <source>Voice: base model</source>
        <translation>Voix&#xa0;: modèle de base</translation>
    </message>
    <message>
        <location filename="../ui/voice_box.cpp" line="47"/>
        <location filename="../ui/voice_box.cpp" line="50"/>
        <source>Voice: %1</source>
        <translation>Voix&#xa0;: %1</translation>
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
        <location filename="../app/gui_main.cpp" line="29"/>
        <source>Load the GPT-2 model in &lt;dir&gt;.</source>
        <translation>Charger le modèle GPT-2 de &lt;dir&gt;.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="32"/>
        <source>Use the library at &lt;path&gt; (or $FABULA_DATABASE).</source>
        <translation>Utiliser la bibliothèque située à &lt;path&gt; (ou $FABULA_DATABASE).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="36"/>
        <source>Render the window with a sample draft to &lt;png&gt; and exit.</source>
        <translation>Enregistrer la fenêtre avec un brouillon d’exemple dans &lt;png&gt; et quitter.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="40"/>
        <source>With --screenshot: render &lt;view&gt; instead of the window (%1).</source>
        <translation>Avec --screenshot&#xa0;: dessiner &lt;view&gt; au lieu de la fenêtre (%1).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="46"/>
        <source>Fabula: write a story, and let GPT-2 continue it.</source>
        <translation>Fabula&#xa0;: écrivez une histoire, et laissez GPT-2 la continuer.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="52"/>
        <source>Text or Markdown files to open as new drafts (what the desktop passes).</source>
        <translation>Fichiers texte ou Markdown à ouvrir comme nouveaux brouillons (ce que transmet le bureau).</translation>
    </message>
</context>
</TS>
