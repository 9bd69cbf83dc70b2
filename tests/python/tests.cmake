# pytest files, one ctest entry each. Each block belongs to one area.

# ---- engine: model files, logits, sampling, generation ----------------------
fabula_add_pytest(test_engine.py)
fabula_add_pytest(test_model_files.py)
fabula_add_pytest(test_cli_tokenize.py)
# ---- end engine -------------------------------------------------------------
