// Placeholder until the mock server lands.
console.log('mock server not implemented yet');
