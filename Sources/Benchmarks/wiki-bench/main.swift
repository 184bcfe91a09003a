print("wiki-bench")
