/**
 * The losses of {@link dev.arbor.loss}: {@link dev.arbor.loss.functions.LogisticLoss} (binary),
 * {@link dev.arbor.loss.functions.MultinomialLoss} (softmax over K classes), {@link
 * dev.arbor.loss.functions.SquaredLoss} (linear regression), {@link
 * dev.arbor.loss.functions.HingeLoss} (linear SVM) and {@link dev.arbor.loss.functions.HuberLoss}
 * (robust regression); {@link dev.arbor.loss.functions.Losses} builds one by its configuration
 * name. Each defines only the loss of one row as a function of its margins, in a numerically stable
 * form.
 */
package dev.arbor.loss.functions;
