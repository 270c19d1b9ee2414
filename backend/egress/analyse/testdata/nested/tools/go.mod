// A nested module: its own path.
module example.com/tools

go 1.26
