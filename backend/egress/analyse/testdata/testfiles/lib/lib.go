package lib

func Answer() int { return 42 }
