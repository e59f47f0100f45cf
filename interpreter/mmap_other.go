//go:build !unix

package interpreter

// mapFile reads the whole file on platforms without mmap support here.
func mapFile(path string) ([]byte, func() error, error) {
	data, err := readFileBytes(path)
	return data, nil, err
}
