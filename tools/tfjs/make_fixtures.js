#!/usr/bin/env node
// TensorFlow.js parity fixtures for LstmLab's GRU, SimpleRNN, Bidirectional, go_backwards with masks, the
// new losses, and optimizer steps. TF.js (@tensorflow/tfjs 4.22.0, pure-JS CPU backend) is an implementation
// of Keras's layers that nobody here wrote.
//
// How to run (by hand, from this folder; the tests never call Node):
//
//     npm install            # @tensorflow/tfjs 4.22.0, pinned in package.json / package-lock.json
//     node make_fixtures.js
//
// It writes tests/LstmLab.Tests/Fixtures/tfjs/*.json, read by tests/LstmLab.Tests/Parity/TfjsParityTests.cs.
// Deterministic: every weight and input comes from a seeded generator below, so a re-run rewrites the same bytes.
//
// Where TF.js differs from Keras (checked against Keras's own formula or tests instead):
//   - GRU: TF.js 4.22 implements only reset_after=False; `resetAfter: true` throws "GRUCell does not support
//     reset_after parameter set to true". Keras 3's default reset_after=True is checked against the golden values
//     of Keras's gru_test.py (KerasRecurrentGoldenTests) and finite differences instead.
//   - Adam: TF.js adds epsilon to the bias-corrected sqrt(v_hat); Keras (and LstmLab) add it to sqrt(v). The Adam
//     fixture therefore applies Keras's update rule, written out below, to TF.js's gradients.
//   - sparse_categorical_crossentropy: TF.js clips p before normalising it; Keras normalises, then clips. The
//     probabilities here are softmax outputs far from the clip bounds, where both are the same.
//
// Layout: Keras's (and LstmLab's) — kernel [input_dim, G·u], recurrent_kernel [u, G·u], bias [G·u], gate
// blocks i,f,c,o (LSTM) and z,r,h (GRU); a Bidirectional holds the forward layer's weights, then the backward's.
// Fixture format: {name, description, generator, tfjs_version, config, tensors: {name: {shape, data}}, scalars}.
// Tensors: x, y, weights/<i> (model.trainableWeights order), output, grad/<i>, grad/x, state/<k> (stateful),
// step<k>/weights/<i> (after k optimizer steps).

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const OUT = path.join(__dirname, '..', '..', 'tests', 'LstmLab.Tests', 'Fixtures', 'tfjs');

// mulberry32: a small seeded generator, so the fixtures do not depend on TF.js's random streams.
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

function recurrent(cfg, extra) {
  const options = Object.assign({ units: cfg.units, returnSequences: cfg.return_sequences, goBackwards: cfg.go_backwards,
    stateful: cfg.stateful, recurrentActivation: 'sigmoid' }, extra);
  if (cfg.rnn === 'gru') return tf.layers.gru(Object.assign({ resetAfter: false }, options));
  if (cfg.rnn === 'simple_rnn') return tf.layers.simpleRNN(options);
  return tf.layers.lstm(Object.assign({ unitForgetBias: true }, options));
}

function build(cfg) {
  const model = tf.sequential();
  const input = cfg.stateful ? { batchInputShape: [cfg.batch, cfg.timesteps, cfg.features] } : { inputShape: [cfg.timesteps, cfg.features] };
  if (cfg.mask_value !== null) model.add(tf.layers.masking(Object.assign({ maskValue: cfg.mask_value }, input)));
  const first = cfg.mask_value !== null ? {} : input;
  if (cfg.bidirectional) model.add(tf.layers.bidirectional(Object.assign({ layer: recurrent(cfg, {}), mergeMode: cfg.bidirectional }, first)));
  else model.add(recurrent(cfg, first));
  model.add(tf.layers.dense({ units: cfg.dense_units, activation: cfg.dense_activation }));
  return model;
}

// The loss as Keras defines it, written with TF.js's own functions: a scalar.
function loss(name, y, p) {
  switch (name) {
    case 'mean_squared_error': return tf.mean(tf.metrics.meanSquaredError(y, p));
    case 'mean_absolute_error': return tf.mean(tf.metrics.meanAbsoluteError(y, p));
    case 'huber': return tf.losses.huberLoss(y, p, undefined, 1.0);
    case 'categorical_crossentropy': return tf.mean(tf.metrics.categoricalCrossentropy(y, p));
    case 'sparse_categorical_crossentropy': {
      const oneHot = tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), p.shape[p.shape.length - 1]).reshape(p.shape);
      return tf.mean(tf.metrics.categoricalCrossentropy(oneHot, p));
    }
    case 'categorical_crossentropy(from_logits=true)': return tf.losses.softmaxCrossEntropy(y, p);
    case 'binary_crossentropy(from_logits=true)': return tf.losses.sigmoidCrossEntropy(y, p);
    default: throw new Error('unknown loss ' + name);
  }
}

function tensorJson(t) {
  return { shape: t.shape, data: Array.from(t.dataSync()) };
}

function targets(cfg, random, outputShape) {
  if (cfg.loss.startsWith('sparse')) {
    const rows = outputShape.slice(0, -1);
    const n = rows.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.floor(random() * cfg.dense_units);
    return tf.tensor(data, rows.concat([1]));
  }
  if (cfg.loss.startsWith('categorical')) {
    const rows = outputShape.slice(0, -1).reduce((a, b) => a * b, 1);
    const data = new Float32Array(rows * cfg.dense_units);
    for (let r = 0; r < rows; r++) data[r * cfg.dense_units + Math.floor(random() * cfg.dense_units)] = 1;
    return tf.tensor(data, outputShape);
  }
  if (cfg.loss.startsWith('binary')) return tf.cast(tf.greater(uniform(random, outputShape, 0, 1), 0.5), 'float32');
  return uniform(random, outputShape, -1, 1);
}

// Keras's Adam (epsilon added to sqrt(v), not to the bias-corrected sqrt(v_hat) as tf.train.adam does).
function kerasAdam(values, grads, state, step, lr) {
  const b1 = 0.9, b2 = 0.999, eps = 1e-7;
  const alpha = lr * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
  return values.map((v, i) => {
    state.m[i] = tf.add(tf.mul(b1, state.m[i]), tf.mul(1 - b1, grads[i]));
    state.v[i] = tf.add(tf.mul(b2, state.v[i]), tf.mul(1 - b2, tf.square(grads[i])));
    return tf.sub(v, tf.mul(alpha, tf.div(state.m[i], tf.add(tf.sqrt(state.v[i]), eps))));
  });
}

function run(name, description, cfg, seed) {
  const random = generator(seed);
  const model = build(cfg);
  const weights = model.trainableWeights.map(w => uniform(random, w.shape, -0.6, 0.6));
  model.setWeights(weights);
  const x = uniform(random, [cfg.batch, cfg.timesteps, cfg.features], -1, 1);
  if (cfg.mask_value !== null) {
    // Mask some steps: sample b skips the steps listed for it.
    const data = x.arraySync();
    cfg.masked_steps.forEach(([b, t]) => { data[b][t] = new Array(cfg.features).fill(cfg.mask_value); });
    x.dispose();
    return finish(name, description, cfg, model, tf.tensor(data), random);
  }
  return finish(name, description, cfg, model, x, random);
}

function finish(name, description, cfg, model, x, random) {
  const tensors = { x: tensorJson(x) };
  model.getWeights().forEach((w, i) => { tensors['weights/' + i] = tensorJson(w); });
  const output = model.apply(x, { training: true });
  const y = targets(cfg, random, output.shape);
  tensors.y = tensorJson(y);
  tensors.output = tensorJson(output);
  const scalars = {};
  if (cfg.stateful) {
    // A second batch from the carried state.
    const layer = model.layers[0];
    layer.states.forEach((s, k) => { tensors['state1/' + k] = tensorJson(s); });
    const x2 = uniform(random, x.shape, -1, 1);
    tensors.x2 = tensorJson(x2);
    tensors.output2 = tensorJson(model.predict(x2));
    layer.states.forEach((s, k) => { tensors['state2/' + k] = tensorJson(s); });
  } else {
    const vars = model.trainableWeights.map(w => w.val);
    const { value, grads } = tf.variableGrads(() => loss(cfg.loss, y, model.apply(x, { training: true })), vars);
    scalars.loss = value.dataSync()[0];
    vars.forEach((v, i) => { tensors['grad/' + i] = tensorJson(grads[v.name]); });
    if (cfg.mask_value === null) {
      // (TF.js cannot differentiate through Masking's mask computation, so masked cases have no grad/x.)
      const dx = tf.grad(input => loss(cfg.loss, y, model.apply(input, { training: true })))(x);
      tensors['grad/x'] = tensorJson(dx);
    }
    if (cfg.optimizer) {
      const lr = cfg.learning_rate;
      const sgd = tf.train.sgd(lr);
      const state = { m: vars.map(v => tf.zerosLike(v)), v: vars.map(v => tf.zerosLike(v)) };
      for (let step = 1; step <= cfg.steps; step++) {
        const g = tf.variableGrads(() => loss(cfg.loss, y, model.apply(x, { training: true })), vars).grads;
        if (cfg.optimizer === 'sgd') {
          sgd.applyGradients(vars.map(v => ({ name: v.name, tensor: g[v.name] })));
        } else {
          const updated = kerasAdam(vars.map(v => v), vars.map(v => g[v.name]), state, step, lr);
          vars.forEach((v, i) => v.assign(updated[i]));
        }
        vars.forEach((v, i) => { tensors[`step${step}/weights/${i}`] = tensorJson(v); });
      }
    }
  }
  const fixture = { name, description, generator: 'tools/tfjs/make_fixtures.js', tfjs_version: tf.version.tfjs, config: cfg, tensors, scalars };
  fs.writeFileSync(path.join(OUT, name + '.json'), JSON.stringify(fixture) + '\n');
  console.log('wrote', name);
}

const base = { rnn: 'gru', units: 3, return_sequences: false, go_backwards: false, stateful: false, bidirectional: null,
  mask_value: null, masked_steps: [], dense_units: 2, dense_activation: 'linear', loss: 'mean_squared_error',
  batch: 3, timesteps: 4, features: 2, optimizer: null, steps: 0, learning_rate: 0 };
const masked = [[0, 2], [1, 1], [1, 2], [2, 0]];
const cases = [
  ['gru_reset_before_last_mse', 'GRU(reset_after=False) last output, Dense, MSE', {}],
  ['gru_reset_before_seq_huber', 'GRU(reset_after=False) sequences, Dense on every step, Huber', { return_sequences: true, loss: 'huber' }],
  ['gru_backwards_masked_seq_mae', 'Masking(-1), GRU go_backwards with sequences, MAE', { return_sequences: true, go_backwards: true, mask_value: -1, masked_steps: masked, loss: 'mean_absolute_error' }],
  ['simple_rnn_last_softmax_sparse_cce', 'SimpleRNN, Dense softmax, sparse categorical cross-entropy', { rnn: 'simple_rnn', units: 4, dense_units: 3, dense_activation: 'softmax', loss: 'sparse_categorical_crossentropy' }],
  ['simple_rnn_backwards_masked_logits_bce', 'Masking(-1), SimpleRNN go_backwards, Dense logits, binary cross-entropy from logits', { rnn: 'simple_rnn', go_backwards: true, mask_value: -1, masked_steps: masked, dense_units: 1, loss: 'binary_crossentropy(from_logits=true)' }],
  ['lstm_backwards_masked_seq_mse', 'Masking(-1), LSTM go_backwards with sequences, MSE', { rnn: 'lstm', return_sequences: true, go_backwards: true, mask_value: -1, masked_steps: masked }],
  ['bidirectional_lstm_concat_seq_mse', 'Bidirectional(LSTM, concat) sequences, MSE', { rnn: 'lstm', return_sequences: true, bidirectional: 'concat' }],
  ['bidirectional_gru_sum_last_mse', 'Bidirectional(GRU reset_after=False, sum) last output, MSE', { bidirectional: 'sum' }],
  ['bidirectional_gru_mul_masked_seq_mse', 'Masking(-1), Bidirectional(GRU reset_after=False, mul) sequences, MSE', { bidirectional: 'mul', return_sequences: true, mask_value: -1, masked_steps: masked }],
  ['bidirectional_simple_rnn_ave_last_logits_cce', 'Bidirectional(SimpleRNN, ave), Dense logits, categorical cross-entropy from logits', { rnn: 'simple_rnn', bidirectional: 'ave', dense_units: 3, loss: 'categorical_crossentropy(from_logits=true)' }],
  ['gru_stateful_two_batches', 'Stateful GRU(reset_after=False) with sequences: two batches, the state carried', { stateful: true, return_sequences: true, batch: 2 }],
  ['gru_sgd_three_steps', 'GRU(reset_after=False), Dense softmax, categorical cross-entropy: weights after 3 steps of tf.train.sgd(0.5)', { dense_activation: 'softmax', loss: 'categorical_crossentropy', optimizer: 'sgd', steps: 3, learning_rate: 0.5 }],
  ['bidirectional_lstm_adam_three_steps', 'Bidirectional(LSTM, concat), MSE: weights after 3 steps of Keras\'s Adam(0.01) on TF.js gradients', { rnn: 'lstm', bidirectional: 'concat', optimizer: 'adam', steps: 3, learning_rate: 0.01 }],
];

fs.mkdirSync(OUT, { recursive: true });
cases.forEach(([name, description, overrides], i) => {
  tf.tidy(() => run(name, description, Object.assign({}, base, overrides), 1000 + i));
});
