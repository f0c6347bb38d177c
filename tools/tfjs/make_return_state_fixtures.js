#!/usr/bin/env node
// TensorFlow.js fixtures for return_state routed inside a Sequential stack (LstmLab's `returnState: true` option).
// TF.js (@tensorflow/tfjs 4.22.0) follows Keras: a recurrent layer with returnState returns [output, h] (GRU,
// SimpleRNN) or [output, h, c] (LSTM). A Sequential model cannot hold such a layer in Keras or TF.js (both refuse a
// layer with several outputs in Sequential.add), so these fixtures build the functional model a Keras user writes
// instead: the output (the first element) feeds the next layer, and the states are extra model outputs. LstmLab's
// Sequential does the same: the output flows on, the states are read with Sequential.PredictWithStates.
//
// How to run (by hand, from this folder; the tests never call Node):
//
//     npm install            # @tensorflow/tfjs 4.22.0, pinned in package.json / package-lock.json
//     node make_return_state_fixtures.js
//
// Writes tests/LstmLab.Tests/Fixtures/tfjs-return-state/*.json, read by tests/LstmLab.Tests/Parity/ReturnStateParityTests.cs.
// Deterministic (seeded weights and inputs). Fixture format: {name, description, generator, tfjs_version, config,
// tensors: {x, weights/<i> (model.trainableWeights order), output, state/<layer>/<k>}}.

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const OUT = path.join(__dirname, '..', '..', 'tests', 'LstmLab.Tests', 'Fixtures', 'tfjs-return-state');

function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(random, shape, low, high) {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = low + (high - low) * random();
  return tf.tensor(data, shape);
}

function tensorJson(t) {
  return { shape: t.shape, data: Array.from(t.dataSync()) };
}

function recurrent(spec) {
  const options = { units: spec.units, returnSequences: spec.return_sequences, returnState: spec.return_state, recurrentActivation: 'sigmoid' };
  if (spec.rnn === 'gru') return tf.layers.gru(Object.assign({ resetAfter: false }, options));
  if (spec.rnn === 'simple_rnn') return tf.layers.simpleRNN(options);
  return tf.layers.lstm(Object.assign({ unitForgetBias: true }, options));
}

function run(name, description, cfg, seed) {
  const random = generator(seed);
  const input = tf.input({ shape: [cfg.timesteps, cfg.features] });
  let h = cfg.mask_value !== null ? tf.layers.masking({ maskValue: cfg.mask_value }).apply(input) : input;
  const states = [];
  cfg.layers.forEach(spec => {
    const result = recurrent(spec).apply(h);
    if (spec.return_state) {
      h = result[0];
      states.push(result.slice(1));
    } else {
      h = result;
      states.push([]);
    }
  });
  const output = tf.layers.dense({ units: cfg.dense_units }).apply(h);
  const model = tf.model({ inputs: input, outputs: [output, ...states.flat()] });
  model.setWeights(model.trainableWeights.map(w => uniform(random, w.shape, -0.6, 0.6)));
  const xData = uniform(random, [cfg.batch, cfg.timesteps, cfg.features], -1, 1).arraySync();
  cfg.masked_steps.forEach(([b, t]) => { xData[b][t] = new Array(cfg.features).fill(cfg.mask_value); });
  const x = tf.tensor(xData);
  const tensors = { x: tensorJson(x) };
  model.getWeights().forEach((w, i) => { tensors['weights/' + i] = tensorJson(w); });
  const outputs = model.predict(x);
  tensors.output = tensorJson(outputs[0]);
  let k = 1;
  states.forEach((layerStates, layer) => layerStates.forEach((_, s) => { tensors[`state/${layer}/${s}`] = tensorJson(outputs[k++]); }));
  const fixture = { name, description, generator: 'tools/tfjs/make_return_state_fixtures.js', tfjs_version: tf.version.tfjs, config: cfg, tensors };
  fs.writeFileSync(path.join(OUT, name + '.json'), JSON.stringify(fixture) + '\n');
  console.log('wrote', name);
}

const base = { timesteps: 4, features: 2, batch: 3, dense_units: 2, mask_value: null, masked_steps: [] };
const cases = [
  ['lstm_return_state_seq', 'LSTM(3, return_sequences, return_state) -> Dense(2) on the sequence; outputs Dense, h, c',
    { layers: [{ rnn: 'lstm', units: 3, return_sequences: true, return_state: true }] }],
  ['gru_return_state_masked_last', 'Masking(-1), GRU(3, reset_after=False, return_state) -> Dense(2); outputs Dense, h',
    { mask_value: -1, masked_steps: [[0, 3], [1, 1], [2, 2], [2, 3]], layers: [{ rnn: 'gru', units: 3, return_sequences: false, return_state: true }] }],
  ['stacked_lstm_simple_rnn_return_state', 'LSTM(3, return_sequences, return_state) -> SimpleRNN(2, return_state) -> Dense(1); outputs Dense and both layers\' states',
    { dense_units: 1, layers: [{ rnn: 'lstm', units: 3, return_sequences: true, return_state: true }, { rnn: 'simple_rnn', units: 2, return_sequences: false, return_state: true }] }],
];

fs.mkdirSync(OUT, { recursive: true });
cases.forEach(([name, description, overrides], i) => {
  tf.tidy(() => run(name, description, Object.assign({}, base, overrides), 2000 + i));
});
