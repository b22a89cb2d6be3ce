export { fixtureNumbers, fixtureVectors, fixtureWeights, int32Column, tensorOf } from './tiny-fixture.js';
