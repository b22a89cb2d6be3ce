export { fixtureNumbers, fixtureVectors, fixtureWeights, tensorOf } from './tiny-fixture.js';
