"""The code model's side shared by serving and training: the prompt format, slots, tokenization,
model files, and the two runtimes (PyTorch, llama.cpp)."""
