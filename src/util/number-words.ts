/** A count as English prose writes it: "ten" (zero to twenty in words, larger ones in digits). */
const kWords = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];

export function numberWord(n: number): string {
  return Number.isInteger(n) && n >= 0 && n < kWords.length ? kWords[n] : String(n);
}

/** The same with a capital first letter, to start a sentence. */
export function capitalizedNumberWord(n: number): string {
  const word = numberWord(n);
  return word.charAt(0).toUpperCase() + word.slice(1);
}
