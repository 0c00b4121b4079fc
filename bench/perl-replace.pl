#!/usr/bin/perl
# Baseline for copydesk's benchmark: the classic scripting answer to "apply
# a word list to a text". One alternation regex over every find (longest
# first, so Perl's trie picks the longest), whole words, any case, and a
# hash from the lowercased match to its replacement, with the match's case
# shape carried over (UPPER, Capitalised, as written).
#
# Perl's regex trie does not help much with tens of thousands of
# alternatives (a few KB/s with 58,000), so `--words` gives the pragmatic
# variant too: every word-like token looked up in the hash. It only sees
# single-word finds (multi-word finds never match), and is much faster.
#
# Usage: perl-replace.pl [--words] RULES.tsv INPUT > OUTPUT
#        (RULES: find<TAB>replace, one per line)
use strict;
use warnings;

my $words = @ARGV && $ARGV[0] eq '--words' ? shift @ARGV : undef;
my ($rules, $input) = @ARGV;
die "usage: perl-replace.pl [--words] RULES.tsv INPUT > OUTPUT\n" unless defined $input;

open my $r, '<:encoding(UTF-8)', $rules or die "$rules: $!\n";
my %fix;
while (my $line = <$r>) {
    chomp $line;
    my ($find, $replace) = split /\t/, $line, 2;
    $fix{lc $find} = $replace if defined $replace;
}
close $r;

my $re;
if ($words) {
    $re = qr/(\w+(?:['-]\w+)*)/;
} else {
    my $alternation = join '|', map { quotemeta } sort { length($b) <=> length($a) } keys %fix;
    $re = qr/\b($alternation)\b/i;
}

my $text = do {
    local $/;
    open my $in, '<:encoding(UTF-8)', $input or die "$input: $!\n";
    <$in>;
};

my $count = 0;
if ($words) {
    $text =~ s/$re/exists $fix{lc $1} ? ($count++, like($1, $fix{lc $1}))[1] : $1/ge;
} else {
    $text =~ s/$re/$count++, like($1, $fix{lc $1})/ge;
}

binmode STDOUT, ':encoding(UTF-8)';
print $text;
print STDERR "$count replacements\n";

sub like {
    my ($matched, $replacement) = @_;
    return uc $replacement if $matched =~ /\p{Lu}.*\p{Lu}/ && $matched !~ /\p{Ll}/;
    return ucfirst $replacement if $matched =~ /^\p{Lu}/;
    return $replacement;
}
