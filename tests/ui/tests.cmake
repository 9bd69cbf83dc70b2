# Qt Test programs for ui/, run offscreen (FABULA_TEST_ENV sets the platform).
# The window tests make tiny random GPT-2 folders with the Python fixtures.
function(fabula_add_ui_test name source)
  cmake_parse_arguments(T "" "TIMEOUT" "" ${ARGN})
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${source})
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  target_link_libraries(${name} PRIVATE fabula_ui Qt6::Test)
  target_compile_definitions(${name} PRIVATE
    FABULA_TEST_PYTHON="${FABULA_PYTHON}"
    FABULA_TEST_FIXTURES="${PROJECT_SOURCE_DIR}/tests/python")
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${FABULA_TEST_ENV}" TIMEOUT ${T_TIMEOUT} LABELS "ui")
endfunction()

fabula_add_ui_test(ui_widgets test_widgets.cpp)
fabula_add_ui_test(ui_main_window test_main_window.cpp TIMEOUT 900)
# Rounds and feedback sets from a store the app wrote (Regenerate, Alternatives, edits, thumbs).
fabula_add_ui_test(ui_feedback_rounds test_feedback_rounds.cpp)
# Blind A/B: seeded order, hidden names, picks as pairs (and "neither" as none), the comparison view.
fabula_add_ui_test(ui_ab test_ab.cpp)
target_link_libraries(ui_ab PRIVATE fabula_feedback)
# HubDownload against a local fake hub (its own file: it builds without the ui library).
include(${CMAKE_CURRENT_LIST_DIR}/hub_download.cmake OPTIONAL)
fabula_add_ui_test(ui_features test_features.cpp)
target_compile_definitions(ui_features PRIVATE FABULA_TEST_FAKE_HUB="${CMAKE_CURRENT_LIST_DIR}/fake_hub.py")
# The model picker (family, size, precision, memory, speed) and the download dialog's list.
fabula_add_ui_test(ui_model_choice test_model_choice.cpp)
target_compile_definitions(ui_model_choice PRIVATE FABULA_TEST_GPT2_DIR="${FABULA_SHARED_DIR}/data/gpt2")
# Quit with a failing save, unexpected store errors, model switches and what is recorded.
fabula_add_ui_test(ui_writer_safety test_writer_safety.cpp)
# The fine-tune wizard driven to the end against real fabula-cli children.
fabula_add_ui_test(ui_wizard test_wizard.cpp TIMEOUT 1200)
add_dependencies(ui_wizard fabula-cli)
# Voices (PEFT adapters) under their base, switched without reloading it; the wizard's Full/LoRA choice and a LoRA run.
fabula_add_ui_test(ui_voices test_voices.cpp TIMEOUT 1200)
add_dependencies(ui_voices fabula-cli)
# TrainingRun against real fabula-cli children and hand-written events files.
fabula_add_ui_test(ui_training_run test_training_run.cpp TIMEOUT 900)
target_compile_definitions(ui_training_run PRIVATE
  FABULA_TEST_STORIES="${FABULA_SHARED_DIR}/data/stories/tinystories_subset.jsonl")
add_dependencies(ui_training_run fabula-cli)
# `fabula --screenshot FILE --view wizard-*` renders each page from content it makes, within 120 s.
foreach(view stories settings dashboard result)
  add_test(NAME ui_screenshot_wizard_${view}
           COMMAND fabula --screenshot ${CMAKE_CURRENT_BINARY_DIR}/wizard-${view}.png --view wizard-${view})
  set_tests_properties(ui_screenshot_wizard_${view} PROPERTIES ENVIRONMENT "${FABULA_TEST_ENV}" TIMEOUT 120 LABELS "ui")
endforeach()
# The Feedback dialog, the wizard's feedback page, the quiet note and a tiny DPO run through the wizard.
fabula_add_ui_test(ui_feedback_loop test_feedback_loop.cpp TIMEOUT 1200)
add_dependencies(ui_feedback_loop fabula-cli)
# German and French complete, English plurals present, every placeholder, tag and & kept (scripts/translations.py).
add_test(NAME ui_translations_complete
         COMMAND ${FABULA_PYTHON} ${PROJECT_SOURCE_DIR}/scripts/translations.py check)
set_tests_properties(ui_translations_complete PROPERTIES TIMEOUT 60 LABELS "ui")
# The main window, the wizard's first page and the settings in English, German and French.
fabula_add_ui_test(ui_languages test_languages.cpp)
# The story panel: memory, note and lore through restart and backup, the context viewer against the engine's prompt,
# its builder off the GUI thread, lore keys marked in the editor, lorebook import, refusals.
fabula_add_ui_test(ui_story_panel test_story_panel.cpp)
# `fabula FILE…` imports the files as drafts (a binary one is named and skipped); Help ▸ About lists versions and licenses.
fabula_add_ui_test(ui_desktop test_desktop.cpp)
