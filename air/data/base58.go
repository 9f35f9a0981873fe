package data

import "errors"

// The Bitcoin base58 alphabet, used for signature store keys and values in the JSON view.
const b58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var b58Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := range len(b58Alphabet) {
		t[b58Alphabet[i]] = int8(i)
	}
	return t
}()

// base58Encode encodes raw bytes; each leading zero byte becomes a leading '1'.
func base58Encode(b string) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// little-endian base-58 digits of the number after the leading zeros
	digits := make([]byte, 0, len(b)*138/100+1)
	for i := zeros; i < len(b); i++ {
		carry := int(b[i])
		for j := range digits {
			carry += int(digits[j]) << 8
			digits[j] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, zeros+len(digits))
	for i := range zeros {
		out[i] = '1'
	}
	for i, d := range digits {
		out[len(out)-1-i] = b58Alphabet[d]
	}
	return string(out)
}

// base58Decode is the inverse of base58Encode.
func base58Decode(s string) (string, error) {
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// little-endian base-256 bytes
	bytes := make([]byte, 0, len(s)*733/1000+1)
	for i := zeros; i < len(s); i++ {
		v := b58Index[s[i]]
		if v < 0 {
			return "", errors.New("invalid base58 character " + string(rune(s[i])))
		}
		carry := int(v)
		for j := range bytes {
			carry += int(bytes[j]) * 58
			bytes[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			bytes = append(bytes, byte(carry))
			carry >>= 8
		}
	}
	out := make([]byte, zeros+len(bytes))
	for i, c := range bytes {
		out[len(out)-1-i] = c
	}
	return string(out), nil
}
